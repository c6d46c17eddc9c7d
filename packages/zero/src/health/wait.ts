import { nudgeablePause } from "./nudgeable-pause.js";
import { runAttempt, type Probe } from "./probes.js";

export interface WaitOptions {
  /** Pause between attempts; shorter when the probe is nudged (its service printed a line). */
  intervalMs: number;
  /** Each attempt's own timeout. */
  timeoutMs: number;
  /** Absolute time (Date.now()) after which waiting fails. */
  deadline: number;
  /** Shutdown or a failure elsewhere: stop waiting, which is not a failure of this probe. */
  signal: AbortSignal;
  onAttemptFailed?: (reason: string, attempt: number) => void;
}

/** Thrown when the deadline passes; carries the last reason and the attempt count. */
export class ProbeTimeoutError extends Error {
  constructor(
    readonly lastReason: string,
    readonly attempts: number,
    readonly timeoutMs: number,
  ) {
    super(`not healthy after ${attempts} attempts (each up to ${timeoutMs} ms): ${lastReason}`);
  }
}

/** Retries a probe until it passes or the deadline passes. Returns the number of attempts. */
export async function waitUntilHealthy(probe: Probe, options: WaitOptions): Promise<number> {
  let lastReason = "no attempt made";
  const pause = nudgeablePause(probe);
  try {
    for (let attempt = 1; ; attempt++) {
      options.signal.throwIfAborted();
      const remaining = options.deadline - Date.now();
      if (remaining <= 0) throw new ProbeTimeoutError(lastReason, attempt - 1, options.timeoutMs);
      const attemptSignal = AbortSignal.any([options.signal, AbortSignal.timeout(Math.min(options.timeoutMs, remaining))]);
      const began = Date.now();
      pause.forget();
      try {
        await runAttempt(probe, attemptSignal);
        return attempt;
      } catch (error) {
        options.signal.throwIfAborted();
        lastReason = describeFailure(error);
        options.onAttemptFailed?.(lastReason, attempt);
      }
      await pause.until(began, options.intervalMs, options.signal);
    }
  } finally {
    pause.close();
  }
}

/** Which of the three things a failed check usually means, so the reader knows where to look. */
export type FailureKind = "service down" | "misconfigured" | "network";

const DOWN_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "57P03"]);
// 28P01/28000: wrong password or role; 3D000: no such database; redis answers WRONGPASS/NOAUTH.
const MISCONFIGURED_CODES = new Set(["28P01", "28000", "3D000", "ENOTFOUND", "ERR_INVALID_URL"]);
const NETWORK_CODES = new Set(["ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** Classifies a failed check; undefined when the error says nothing either way. */
export function classifyFailure(error: unknown): FailureKind | undefined {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code && DOWN_CODES.has(code)) return "service down";
  if ((code && MISCONFIGURED_CODES.has(code)) || /WRONGPASS|NOAUTH|password authentication failed|HTTP 4\d\d/.test(message)) {
    return "misconfigured";
  }
  if ((code && NETWORK_CODES.has(code)) || (error as Error)?.name === "TimeoutError") return "network";
  return undefined;
}

/** A short, human reason with its kind: "connection refused (service down)" rather than a stack trace. */
export function describeFailure(error: unknown): string {
  const kind = classifyFailure(error);
  return kind ? `${shortReason(error)} (${kind})` : shortReason(error);
}

function shortReason(error: unknown): string {
  const code = errorCode(error);
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET") return "connection reset";
  if ((error as Error)?.name === "TimeoutError") return "timed out";
  if (code === "57P03") return "the database system is starting up";
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? "unknown error";
}

function errorCode(error: unknown): string | undefined {
  const shaped = error as { code?: string; cause?: { code?: string } } | undefined;
  return shaped?.code ?? shaped?.cause?.code;
}
