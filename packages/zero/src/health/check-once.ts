import { runAttempt, type Probe } from "./probes.js";
import { describeFailure } from "./wait.js";

export interface CheckResult {
  health: "healthy" | "unhealthy";
  lastError: string | undefined;
  lastCheckMs: number;
}

/** One attempt of a probe, as `zero status` reports it (the supervisor's monitor and compose status). */
export async function checkOnce(probe: Probe, timeoutMs: number): Promise<CheckResult> {
  const began = Date.now();
  try {
    await runAttempt(probe, AbortSignal.timeout(timeoutMs));
    return { health: "healthy", lastError: undefined, lastCheckMs: Date.now() - began };
  } catch (error) {
    return { health: "unhealthy", lastError: describeFailure(error), lastCheckMs: Date.now() - began };
  }
}
