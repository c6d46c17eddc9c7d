/** One log line as the API's log stream sends it. */
export interface LogEntry {
  ts: string;
  service: string;
  line: string;
}

/** Keeps at most `capacity` lines, dropping the oldest: a long-running tab never grows without bound. */
export class LogBuffer {
  private entries: LogEntry[] = [];

  constructor(readonly capacity = 50_000) {}

  push(added: readonly LogEntry[]): void {
    for (const entry of added) this.entries.push(entry); // no spread: a burst may exceed the argument limit
    // Trim in one go once well over the limit, so a steady stream does not shift the array on every line.
    if (this.entries.length > this.capacity * 1.1) this.entries = this.entries.slice(-this.capacity);
  }

  lines(): readonly LogEntry[] {
    return this.entries.length > this.capacity ? this.entries.slice(-this.capacity) : this.entries;
  }

  get size(): number {
    return Math.min(this.entries.length, this.capacity);
  }
}

export interface LogFilter {
  /** Only this service ("" for all). */
  service: string;
  /** Case-insensitive text to look for in the line ("" for all). */
  search: string;
}

export function filterLogs(entries: readonly LogEntry[], filter: LogFilter): readonly LogEntry[] {
  const needle = filter.search.trim().toLowerCase();
  if (!filter.service && !needle) return entries;
  return entries.filter(
    (entry) => (!filter.service || entry.service === filter.service) && (!needle || entry.line.toLowerCase().includes(needle)),
  );
}

/** The services seen so far, sorted, for the filter's choices. */
export function servicesIn(entries: readonly LogEntry[], known: readonly string[] = []): string[] {
  const names = new Set(known);
  for (const entry of entries) names.add(entry.service);
  return [...names].sort();
}

/** Parses one Server-Sent Event's data; anything that is not a log entry is ignored (undefined). */
export function parseLogEvent(data: string): LogEntry | undefined {
  try {
    const value = JSON.parse(data) as Partial<LogEntry>;
    if (typeof value.ts === "string" && typeof value.service === "string" && typeof value.line === "string") return value as LogEntry;
  } catch {
    // not JSON: ignored
  }
  return undefined;
}

const PINO_LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const NOISE = new Set(["level", "msg", "time", "pid", "hostname", "service"]);

/**
 * A JSON log line (the API's pino output) as "LEVEL message key=value …", like `zero logs` shows it
 * (packages/zero/src/cli/render-log.ts); any other line as it is.
 */
export function readableLine(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const level = typeof record.level === "number" ? (PINO_LEVELS[record.level] ?? String(record.level)) : String(record.level ?? "").toUpperCase();
    const fields = Object.entries(record)
      .filter(([key]) => !NOISE.has(key))
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
    return [level.padEnd(5), record.msg ?? "", ...fields].join(" ");
  } catch {
    return line;
  }
}
