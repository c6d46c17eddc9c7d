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
  const parts = structuredParts(line);
  if (!parts) return undefined;
  return { level: shownSafely(parts.level), message: shownSafely(parts.message), fields: shownSafely(parts.fields) };
}

function structuredParts(line: string): LogLineParts | undefined {
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
  if (!parts) return shownSafely(line);
  return `${parts.level.padEnd(5)} ${parts.message}${parts.fields ? ` ${parts.fields}` : ""}`;
}

// Characters a terminal obeys rather than shows (C0 controls but tab, DEL, C1 controls: ESC starts sequences that
// set the window title, clear the screen, write to the clipboard), and the bidirectional overrides that make text
// read differently from what it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters it finds
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A service's text as something to look at: every character a terminal would act on shown as an escape ("\x1b",
 * "\u202e") instead. `zero logs` and the dashboard show every line through this (readableLine, logLineParts).
 */
export function shownSafely(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A line of a service's output as text: valid UTF-8 decoded, any other byte shown as "\xff" (a decoder would
 * turn it into U+FFFD, and the byte would be lost). The supervisor reads every service's output through this.
 */
export function decodeLogBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let text = "";
    for (let at = 0; at < bytes.length; ) {
      const length = sequenceLength(bytes, at);
      if (length === 0) {
        text += `\\x${bytes[at]!.toString(16).padStart(2, "0")}`;
        at += 1;
      } else {
        text += strictUtf8.decode(bytes.subarray(at, at + length));
        at += length;
      }
    }
    return text;
  }
}

/** The length of the valid UTF-8 sequence starting at `at`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at]!;
  const length =
    lead < 0x80
      ? 1
      : lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
  if (length <= 1 || at + length > bytes.length) return length === 1 ? 1 : 0;
  try {
    strictUtf8.decode(bytes.subarray(at, at + length)); // overlong forms and surrogates are refused here
    return length;
  } catch {
    return 0;
  }
}

/** "12:00:01.123": the time of day of an ISO timestamp (UTC, as the supervisor writes it). */
export function logTime(ts: string): string {
  return ts.slice(11, 23);
}
