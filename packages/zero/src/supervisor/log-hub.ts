/** One log line as the control API serves it (already masked). */
export interface LogEntry {
  ts: string;
  service: string;
  line: string;
}

type Listener = (entry: LogEntry) => void;

/** Recent lines of every service in memory, and live fan-out to followers (dashboard, `zero logs -f`). */
export class LogHub {
  private readonly recent: LogEntry[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(private readonly capacity = 5_000) {}

  publish(entry: LogEntry): void {
    this.recent.push(entry);
    if (this.recent.length > this.capacity) this.recent.splice(0, this.recent.length - this.capacity);
    for (const listener of this.listeners) listener(entry);
  }

  /** The last `tail` lines, optionally of one service and/or not older than `since`. */
  history(options: { service?: string; tail?: number; since?: string }): LogEntry[] {
    const matching = this.recent.filter(
      (entry) => (!options.service || entry.service === options.service) && (!options.since || entry.ts >= options.since),
    );
    return options.tail === undefined ? matching : matching.slice(-options.tail);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
