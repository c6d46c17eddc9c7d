import type { ServerResponse } from "node:http";

/** What one slow client may have queued before it is cut off (it reconnects and resumes with Last-Event-ID). */
export const MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * One Server-Sent Events client that respects back-pressure: when `write()` says the socket is full, frames wait
 * in a bounded queue until 'drain'; past `maxQueuedBytes` the stream is ended rather than buffered without limit.
 */
export class SseStream {
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private blocked = false;
  private ended = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly maxQueuedBytes = MAX_QUEUED_BYTES,
  ) {
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.flushHeaders();
    response.once("close", () => (this.ended = true));
  }

  /** Queues one event; `id` is what the client sends back as Last-Event-ID when it reconnects. */
  send(data: string, options: { id?: number | string; event?: string } = {}): void {
    const id = options.id === undefined ? "" : `id: ${options.id}\n`;
    const event = options.event ? `event: ${options.event}\n` : "";
    this.write(`${id}${event}data: ${data}\n\n`);
  }

  comment(text: string): void {
    this.write(`: ${text}\n\n`);
  }

  get closed(): boolean {
    return this.ended;
  }

  private write(frame: string): void {
    if (this.ended) return;
    if (this.blocked) {
      this.queuedBytes += Buffer.byteLength(frame);
      if (this.queuedBytes > this.maxQueuedBytes) this.cutOff();
      else this.queue.push(frame);
      return;
    }
    if (!this.response.write(frame)) this.waitForDrain();
  }

  private waitForDrain(): void {
    this.blocked = true;
    this.response.once("drain", () => {
      this.blocked = false;
      while (this.queue.length > 0 && !this.blocked) {
        const frame = this.queue.shift()!;
        this.queuedBytes -= Buffer.byteLength(frame);
        if (!this.response.write(frame)) this.waitForDrain();
      }
    });
  }

  private cutOff(): void {
    this.ended = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.response.destroy();
  }
}
