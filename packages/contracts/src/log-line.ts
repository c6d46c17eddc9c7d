// One reading of a service's log line for people, shared by `zero logs` and the dashboard: a pino JSON line
// ({"level":30,"time":…,"msg":"…",…}) becomes "LEVEL message key=value …"; any other line stays as it is.
// No dependencies: the dashboard's bundle imports it.

const PINO_LEVELS: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};
/** Fields already shown elsewhere: the level and message, the entry's own time and service, pino's pid and host. */
const SHOWN_ELSEWHERE = new Set(["level", "msg", "time", "pid", "hostname", "service"]);

/** A structured line in parts, so a terminal can colour them; undefined when the line is not a JSON object. */
export interface LogLineParts {
  /** "INFO", "ERROR", … (pino's numbers named, a word upper-cased, "" when absent). */
  level: string;
  message: string;
  /** The other fields as "key=value key=value" ("" when none). */
  fields: string;
}

export function logLineParts(line: string): LogLineParts | undefined {
  if (!line.startsWith("{")) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!record || typeof record !== "object" || Array.isArray(record)) return undefined;
  const { level, msg } = record;
  const fields = Object.entries(record)
    .filter(([key]) => !SHOWN_ELSEWHERE.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return {
    level: typeof level === "number" ? (PINO_LEVELS[level] ?? String(level)) : String(level ?? "").toUpperCase(),
    message: typeof msg === "string" ? msg : msg === undefined ? "" : JSON.stringify(msg),
    fields,
  };
}

/** "INFO  request completed method=GET statusCode=200" for a pino line; any other line as it is. */
export function readableLine(line: string): string {
  const parts = logLineParts(line);
  if (!parts) return line;
  return `${parts.level.padEnd(5)} ${parts.message}${parts.fields ? ` ${parts.fields}` : ""}`;
}

/** "12:00:01.123": the time of day of an ISO timestamp (UTC, as the supervisor writes it). */
export function logTime(ts: string): string {
  return ts.slice(11, 23);
}
