import type { LogEntry } from "@zero/contracts/control";

/** One log line as the control API's log stream sends it (the contract's shape). */
export type { LogEntry };

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
  /** Only lines at this level or above ("" for all; lines without a level always pass). */
  level?: Level | "";
}

export function filterLogs(entries: readonly LogEntry[], filter: LogFilter): readonly LogEntry[] {
  const needle = filter.search.trim().toLowerCase();
  const minimum = filter.level ? LEVELS.indexOf(filter.level) : 0;
  if (!filter.service && !needle && minimum === 0) return entries;
  return entries.filter((entry) => {
    if (filter.service && entry.service !== filter.service) return false;
    if (needle && !entry.line.toLowerCase().includes(needle)) return false;
    if (minimum > 0) {
      const level = levelOf(entry.line);
      if (level && LEVELS.indexOf(level) < minimum) return false;
    }
    return true;
  });
}

export const LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type Level = (typeof LEVELS)[number];

const WORD_LEVELS: Record<string, Level> = {
  TRACE: "DEBUG", DEBUG: "DEBUG", DEBUG1: "DEBUG", LOG: "INFO", INFO: "INFO", NOTICE: "INFO",
  WARN: "WARN", WARNING: "WARN", ERROR: "ERROR", FATAL: "ERROR", PANIC: "ERROR",
};
const LEVEL_WORD = /\b(TRACE|DEBUG1?|LOG|INFO|NOTICE|WARN(?:ING)?|ERROR|FATAL|PANIC)\b:?/;

/**
 * A line's level: pino's number or word in JSON lines, a level word in text lines (PostgreSQL's "ERROR:",
 * Vite's and zero's own), or undefined when the line does not say.
 */
export function levelOf(line: string): Level | undefined {
  if (line.startsWith("{")) {
    const match = /"level":\s*("?)(\w+)\1/.exec(line);
    if (match) {
      const value = match[2]!;
      const number = Number(value);
      if (!Number.isNaN(number)) return number >= 50 ? "ERROR" : number >= 40 ? "WARN" : number >= 30 ? "INFO" : "DEBUG";
      return WORD_LEVELS[value.toUpperCase()];
    }
  }
  const word = LEVEL_WORD.exec(line.slice(0, 120));
  if (word) return WORD_LEVELS[word[1]!];
  if (/exited unexpectedly|\bError:|ECONNREFUSED|SyntaxError/.test(line)) return "ERROR";
  return undefined;
}

/** The text split around each case-insensitive match of `needle`, for highlighting. */
export function splitMatches(text: string, needle: string): Array<{ text: string; match: boolean; offset: number }> {
  const wanted = needle.trim().toLowerCase();
  if (!wanted) return [{ text, match: false, offset: 0 }];
  const parts: Array<{ text: string; match: boolean; offset: number }> = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false, offset: from });
    parts.push({ text: text.slice(at, at + wanted.length), match: true, offset: at });
    from = at + wanted.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false, offset: from });
  return parts;
}

/** The lines as a plain-text file: one "UTC time service line" per line, as `make logs` would show them. */
export function logsAsText(entries: readonly LogEntry[]): string {
  return `${entries.map((entry) => `${entry.ts} ${entry.service} ${entry.line}`).join("\n")}\n`;
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

// One reading of a pino line for the CLI and the page (packages/contracts/src/log-line.ts).
export { readableLine } from "@zero/contracts/log-line";
