import { logLineParts, logTime, shownSafely } from "@zero/contracts/log-line";
import type { LogLine } from "../runtimes/runtime.js";
import { colors as pc } from "./output.js";

const palette = [pc.cyan, pc.magenta, pc.blue, pc.green, pc.yellow];

/** "12:00:01.123 api      | INFO  request completed method=GET url=/health statusCode=200" */
export function renderLogLine(entry: LogLine, width: number, services: string[]): string {
  const colour = palette[Math.max(0, services.indexOf(entry.service)) % palette.length]!;
  return `${pc.dim(logTime(entry.ts))} ${colour(entry.service.padEnd(width))} | ${readable(entry.line)}`;
}

/** A pino line as the dashboard reads it (@zero/contracts/log-line), coloured: errors red, warnings yellow, fields dim. */
function readable(line: string): string {
  const parts = logLineParts(line);
  if (!parts) return shownSafely(line); // a service's escape sequences are shown, never obeyed
  const { level, message, fields } = parts;
  const tint = level === "ERROR" || level === "FATAL" ? pc.red : level === "WARN" ? pc.yellow : (text: string) => text;
  return `${tint(level.padEnd(5))} ${message}${fields ? ` ${pc.dim(fields)}` : ""}`;
}
