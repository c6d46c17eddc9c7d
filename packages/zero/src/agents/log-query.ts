import { logLineParts, logTime, readableLine } from "@zero/contracts/log-line";
import type { LogLine } from "../runtimes/runtime.js";

// The `logs` tool's filter and bounds: an agent's context is small and costly, so an answer never exceeds
// MAX_LINES lines nor MAX_BYTES bytes, whatever the log holds, and says what it left out.

export const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type Level = (typeof LEVELS)[number];

export interface LogFilter {
  /** The lowest level to keep (error keeps error and fatal). */
  level?: Level;
  /** Case-insensitive text the line must contain. */
  text?: string;
  /** ISO times: only lines at or after `since`, before `until`. */
  since?: string;
  until?: string;
  /** How many of the newest matching lines (default 100, at most MAX_LINES). */
  lines?: number;
}

export interface LogAnswer {
  /** "12:00:01.123 api ERROR message key=value", oldest first. */
  lines: string[];
  matched: number;
  /** How many recent lines were searched (the control API's history bound). */
  searched: number;
  /** Some matching lines were left out by the bounds; narrow the filter or the time range. */
  truncated: boolean;
}

export const DEFAULT_LINES = 100;
export const MAX_LINES = 500;
export const MAX_BYTES = 16_000;
/** One line longer than this is cut: a minified stack trace must not fill the answer alone. */
const MAX_LINE_CHARS = 600;

/** The level of a line: pino's for a JSON line; for plain text, a word like "error" or "warn" in it. */
export function levelOf(line: string): Level {
  const parts = logLineParts(line);
  const named = parts?.level.toLowerCase();
  if (named && (LEVELS as readonly string[]).includes(named)) return named as Level;
  if (/\b(fatal|panic)\b/i.test(line)) return "fatal";
  if (/\b(error|err|exception|failed|cannot)\b/i.test(line)) return "error";
  if (/\bwarn(ing)?\b/i.test(line)) return "warn";
  return "info";
}

/** Keeps the lines that match, then the newest of them within the line and byte bounds. */
export function queryLogs(entries: LogLine[], filter: LogFilter): LogAnswer {
  const lowest = filter.level ? LEVELS.indexOf(filter.level) : 0;
  const text = filter.text?.toLowerCase();
  const since = filter.since ? Date.parse(filter.since) : undefined;
  const until = filter.until ? Date.parse(filter.until) : undefined;
  const matching = entries.filter((entry) => {
    const at = Date.parse(entry.ts);
    if (since !== undefined && at < since) return false;
    if (until !== undefined && at >= until) return false;
    if (lowest > 0 && LEVELS.indexOf(levelOf(entry.line)) < lowest) return false;
    return !text || entry.line.toLowerCase().includes(text);
  });
  const wanted = Math.min(filter.lines ?? DEFAULT_LINES, MAX_LINES);
  const lines: string[] = [];
  let bytes = 0;
  // Newest first until a bound is reached, then back into time order.
  for (let index = matching.length - 1; index >= 0 && lines.length < wanted; index--) {
    const entry = matching[index]!;
    const shown = clipLine(`${logTime(entry.ts)} ${entry.service} ${readableLine(entry.line)}`);
    const size = Buffer.byteLength(shown) + 1;
    if (bytes + size > MAX_BYTES) break;
    bytes += size;
    lines.push(shown);
  }
  lines.reverse();
  return { lines, matched: matching.length, searched: entries.length, truncated: lines.length < matching.length };
}

function clipLine(line: string): string {
  return line.length > MAX_LINE_CHARS
    ? `${line.slice(0, MAX_LINE_CHARS)}… (${line.length - MAX_LINE_CHARS} more characters)`
    : line;
}
