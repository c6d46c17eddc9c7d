/** Restart delays: doubling from baseMs up to capMs; forgotten after stableMs of uptime. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  stableMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 250, capMs: 30_000, stableMs: 10_000 };

/** Delay before restart number `restarts` (0-based) of a crash-looping service. */
export function restartDelay(restarts: number, policy: BackoffPolicy = defaultBackoff): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(restarts, 30));
}

/** The crash count to use next: reset when the service had been up long enough to count as stable. */
export function nextCrashCount(previous: number, uptimeMs: number, policy: BackoffPolicy = defaultBackoff): number {
  return uptimeMs >= policy.stableMs ? 0 : previous + 1;
}
