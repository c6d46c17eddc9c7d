import type { Probe } from "../health/readiness.js";
import { withTimeout } from "../lib/with-timeout.js";

/** The API's own answer about one dependency: did it answer, how fast, and why not (masked). */
export interface DependencyCheck {
  ok: boolean;
  latencyMs: number;
  checkedAt: string;
  error?: string;
}

// Times one readiness probe under the same per-check timeout as /health/ready.
export async function timeProbe(probe: Probe, timeoutMs: number, what: string, mask: (text: string) => string): Promise<DependencyCheck> {
  const checkedAt = new Date().toISOString();
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await withTimeout(probe, timeoutMs, what);
    return { ok: true, latencyMs: latency(), checkedAt };
  } catch (error) {
    return { ok: false, latencyMs: latency(), checkedAt, error: mask(error instanceof Error ? error.message || error.name : String(error)) };
  }
}
