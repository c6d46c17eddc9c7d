import type { LogEntry } from "@zero/contracts/control";

export type { LogEntry };

/** A line with its position in the stream: what an SSE client sends back as Last-Event-ID to resume. */
export interface NumberedEntry {
  id: number;
  entry: LogEntry;
}

type Listener = (numbered: NumberedEntry) => void;

export interface HistoryQuery {
  service?: string;
  tail?: number;
  since?: string;
  /** Only lines after this id (a reconnecting follower's Last-Event-ID). */
  after?: number;
}

/** Recent lines of every service in memory, and live fan-out to followers (dashboard, `zero logs -f`). */
export class LogHub {
  private readonly recent: LogEntry[] = [];
  /** The id of recent[0]; ids grow by one per line for the supervisor's lifetime. */
  private firstId = 1;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly capacity = 5_000) {}

  publish(entry: LogEntry): void {
    this.recent.push(entry);
    if (this.recent.length > this.capacity) {
      const dropped = this.recent.length - this.capacity;
      this.recent.splice(0, dropped);
      this.firstId += dropped;
    }
    const numbered = { id: this.firstId + this.recent.length - 1, entry };
    for (const listener of this.listeners) listener(numbered);
  }

  /** The last `tail` lines, optionally of one service, not older than `since` and/or after an id. */
  history(query: HistoryQuery): LogEntry[] {
    return this.numbered(query).map(({ entry }) => entry);
  }

  numbered(query: HistoryQuery): NumberedEntry[] {
    const start = query.after === undefined ? 0 : Math.max(0, query.after + 1 - this.firstId);
    const matching: NumberedEntry[] = [];
    for (let index = start; index < this.recent.length; index++) {
      const entry = this.recent[index]!;
      if (query.service && entry.service !== query.service) continue;
      if (query.since && entry.ts < query.since) continue;
      matching.push({ id: this.firstId + index, entry });
    }
    return query.tail === undefined ? matching : matching.slice(-query.tail);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
