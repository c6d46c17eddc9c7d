/** An action's result, and whether this request joined the same action already queued or running for the service. */
export interface Queued<T> {
  result: T;
  joined: boolean;
}

interface Entry {
  action: string;
  done: Promise<unknown>;
}

/**
 * One worker per service: the restarts, stops and starts of one service run one after another, never two at once
 * (three restarts pressed together from two dashboard tabs and the CLI launched a second process that no record
 * held, still listening after `make down`). A request for the action last queued (or running) for its service joins
 * it and gets its answer instead of running it again. `down` closes the queue, then drains it, then stops.
 */
export class ServiceQueue {
  private readonly tails = new Map<string, Entry>();
  private closedBecause?: string;

  /** Runs `run` after everything queued for `service`, or joins the last queued action when it is the same one. */
  run<T>(service: string, action: string, run: () => Promise<T>): Promise<Queued<T>> {
    if (this.closedBecause) return Promise.reject(new QueueClosed(this.closedBecause));
    const tail = this.tails.get(service);
    if (tail?.action === action) return tail.done.then((result) => ({ result: result as T, joined: true }));
    // The one before failing does not stop this one: each request answers for its own action.
    const done = (tail?.done ?? Promise.resolve()).catch(() => {}).then(run);
    const entry: Entry = { action, done };
    this.tails.set(service, entry);
    const forget = () => {
      if (this.tails.get(service) === entry) this.tails.delete(service);
    };
    done.then(forget, forget);
    return done.then((result) => ({ result, joined: false }));
  }

  /** Refuses every new action from now on (with `reason`), e.g. while the stack goes down. */
  close(reason: string): void {
    this.closedBecause ??= reason;
  }

  /** Settles once every queued and running action has (the queue is closed first, so nothing new arrives). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()].map((entry) => entry.done));
  }
}

/** An action that arrived after `close` (answered 409: the stack is going down). */
export class QueueClosed extends Error {
  readonly status = 409;
}
