import { setTimeout as sleep } from "node:timers/promises";
import type { Probe } from "./probes.js";

// Nudged attempts come at most this often: a service that prints a burst of lines must not become a burst of checks.
const NUDGED_GAP_MS = 10;

/**
 * The pause between attempts, cut short when the probe is nudged: a service usually prints a line as it starts to
 * listen, so its next check comes then rather than up to an interval later (the API and Vite: ~50 ms on average
 * at a 100 ms interval). Nudges cost nothing while none come; polling a refused port every few ms cost the
 * supervisor 130-250 µs of CPU per try (measured), on a machine busy starting the services.
 */
export function nudgeablePause(probe: Probe) {
  let nudged = false;
  let wake: (() => void) | undefined;
  const unsubscribe = probe.nudges?.(() => {
    nudged = true;
    wake?.();
  });
  const sleepUntil = async (at: number, signal: AbortSignal, woken?: AbortSignal) => {
    const ms = at - Date.now();
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal: woken ? AbortSignal.any([signal, woken]) : signal });
    } catch (error) {
      signal.throwIfAborted();
      if (!woken?.aborted) throw error; // woken by a nudge: not an error
    }
  };
  return {
    /** Nudges before this attempt are spent: it sees what they announced. */
    forget: () => (nudged = false),
    /** The interval from now, or until NUDGED_GAP_MS after the attempt `began` once nudged. */
    async until(began: number, intervalMs: number, signal: AbortSignal): Promise<void> {
      if (!nudged) {
        const woken = new AbortController();
        wake = () => woken.abort();
        try {
          await sleepUntil(Date.now() + intervalMs, signal, woken.signal);
        } finally {
          wake = undefined;
        }
      }
      if (nudged) await sleepUntil(began + NUDGED_GAP_MS, signal);
    },
    close: () => unsubscribe?.(),
  };
}
