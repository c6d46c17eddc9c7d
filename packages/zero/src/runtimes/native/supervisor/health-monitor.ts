import { checkOnce } from "../../../health/check-once.js";
import type { Supervisor } from "./supervisor.js";

/** Checks every running service's health once, now; onChange when a service's health changed. */
export async function checkAllHealth(supervisor: Supervisor, onChange: () => void): Promise<void> {
  await Promise.all(
    [...supervisor.services.values()].map(async (managed) => {
      const probe = supervisor.probe(managed.service);
      if (!probe || managed.record.state !== "running") return;
      const before = managed.record.health;
      const result = await checkOnce(probe, managed.service.healthcheck?.timeout_ms ?? 1000);
      Object.assign(managed.record, result);
      supervisor.metrics.observeCheck(managed.service.name, result.lastCheckMs, result.health === "healthy");
      managed.record.lastCheckAt = new Date().toISOString();
      if (managed.record.health !== before) onChange();
      if (managed.record.health === "healthy") managed.provenHealthy = true;
      managed.failedChecks =
        managed.record.health === "unhealthy" && managed.provenHealthy ? managed.failedChecks + 1 : 0;
      const threshold = managed.service.healthcheck?.restart_after ?? 0;
      if (threshold > 0 && managed.failedChecks >= threshold) {
        const failures = managed.failedChecks;
        managed.failedChecks = 0;
        // Not awaited: the stop can take its grace period, and a status request must not wait for it.
        void supervisor.restartUnhealthy(managed.service.name, failures);
      }
    }),
  );
}

/** Re-checks every running service's health periodically, so status reflects now, not start-up. */
export function monitorHealth(supervisor: Supervisor, intervalMs: number, onChange: () => void): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await checkAllHealth(supervisor, onChange);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
