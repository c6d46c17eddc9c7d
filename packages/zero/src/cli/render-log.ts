import type { LogLine } from "../runtimes/runtime.js";
import { colors as pc } from "./output.js";

const palette = [pc.cyan, pc.magenta, pc.blue, pc.green, pc.yellow];
const pinoLevels: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** "12:00:01.123 api      | INFO  request completed method=GET url=/health statusCode=200" */
export function renderLogLine(entry: LogLine, width: number, services: string[]): string {
  const colour = palette[Math.max(0, services.indexOf(entry.service)) % palette.length]!;
  const time = entry.ts.slice(11, 23);
  return `${pc.dim(time)} ${colour(entry.service.padEnd(width))} | ${readable(entry.line)}`;
}

/** JSON log lines (pino) become "LEVEL message key=value"; anything else is shown as it is. */
export function readable(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const { level, msg, time: _time, pid: _pid, hostname: _host, ...rest } = record;
    const name = typeof level === "number" ? (pinoLevels[level] ?? String(level)) : String(level ?? "").toUpperCase();
    const fields = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    const tint = name === "ERROR" || name === "FATAL" ? pc.red : name === "WARN" ? pc.yellow : (text: string) => text;
    return `${tint(name.padEnd(5))} ${msg ?? ""}${fields ? ` ${pc.dim(fields)}` : ""}`;
  } catch {
    return line;
  }
}
