import { mergeRequests, type ReloadRequest } from "./rules.js";

interface Waiting {
  request: ReloadRequest;
  done: (() => void)[];
}

/**
 * One worker per service (client-go's workqueue): a service's reloads never overlap, and whatever arrives while one
 * runs waits as one merged request, so a change storm queues at most one more reload per service.
 */
export class ReloadQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly run: (request: ReloadRequest) => Promise<void>) {}

  /** Resolves once a reload that includes this request has run. */
  add(request: ReloadRequest): Promise<void> {
    const waiting = this.waiting.get(request.service);
    const entry = waiting
      ? { request: mergeRequests(waiting.request, request), done: waiting.done }
      : { request, done: [] };
    this.waiting.set(request.service, entry);
    const ran = new Promise<void>((resolve) => entry.done.push(resolve));
    if (!this.running.has(request.service)) this.next(request.service);
    return ran;
  }

  /** Resolves when nothing runs or waits (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private next(service: string): void {
    const entry = this.waiting.get(service);
    if (!entry) return;
    this.waiting.delete(service);
    const done = this.run(entry.request)
      .catch(() => {}) // the runner reports its own failures
      .finally(() => {
        for (const resolve of entry.done) resolve();
        this.running.delete(service);
        this.next(service);
      });
    this.running.set(service, done);
  }
}
