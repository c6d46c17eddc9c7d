import type { LogEntry } from "@zero/contracts/control";

/** One log line as the control API's log stream sends it (the contract's shape). */
export type { LogEntry };

/** The page's own bounds on what one log view keeps (the supervisor caps lines too; the page does not rely on it). */
export interface LogLimits {
  /** Characters of line text kept in all (JavaScript holds them as UTF-16: about twice this in bytes). */
  chars: number;
  /** Characters of one line; the rest is cut and the line says how much. */
  lineChars: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { chars: 8 * 1024 * 1024, lineChars: 64 * 1024 };

/**
 * Keeps at most `capacity` lines and `limits.chars` characters, dropping the oldest and counting them: a long-running
 * tab never grows without bound, and the page can say how much it let go.
 */
export class LogBuffer {
  private entries: LogEntry[] = [];
  private chars = 0;
  private trimmed = 0;
  /** Lines cut to `limits.lineChars`. */
  cut = 0;

  constructor(
    readonly capacity = 50_000,
    readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
  ) {}

  push(added: readonly LogEntry[]): void {
    for (const entry of added) {
      const kept = this.bounded(entry);
      this.entries.push(kept); // no spread: a burst may exceed the argument limit
      this.chars += kept.line.length;
    }
    // Trim in one go once well over the line limit, so a steady stream does not shift the array on every line.
    if (this.entries.length > this.capacity * 1.1 || this.chars > this.limits.chars) this.trim();
  }

  lines(): readonly LogEntry[] {
    return this.entries.length > this.capacity ? this.entries.slice(-this.capacity) : this.entries;
  }

  get size(): number {
    return Math.min(this.entries.length, this.capacity);
  }

  /** Oldest lines let go since the view opened, to stay within the limits. */
  get dropped(): number {
    return this.trimmed + Math.max(0, this.entries.length - this.capacity);
  }

  private bounded(entry: LogEntry): LogEntry {
    const over = entry.line.length - this.limits.lineChars;
    if (over <= 0) return entry;
    this.cut++;
    return { ...entry, line: `${entry.line.slice(0, this.limits.lineChars)} … [${over} more characters of this line cut by the dashboard]` };
  }

  private trim(): void {
    let drop = Math.max(0, this.entries.length - this.capacity);
    let chars = this.chars;
    for (let i = 0; i < drop; i++) chars -= this.entries[i]!.line.length;
    while (chars > this.limits.chars && drop < this.entries.length) chars -= this.entries[drop++]!.line.length;
    this.entries = this.entries.slice(drop);
    this.chars = chars;
    this.trimmed += drop;
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
