import { probeFor } from "../../health/probes.js";
import { waitUntilHealthy } from "../../health/wait.js";
import { restartWithFollowers } from "../../orchestrate/restart-with-followers.js";
import type { Service } from "../../stack/schema.js";

// How long a followed container may take to be healthy again before its followers are left alone.
const FOLLOW_DEADLINE_MS = 60_000;

/**
 * A deliberate restart under Compose (`zero restart`, the dashboard, watch rules): `docker restart`, then the
 * `restart: true` followers once the restarted container passes its health check from the host (as `make dev` checks).
 */
export function restartContainers(
  services: Record<string, Service>,
  root: string,
  name: string,
  dockerRestart: (name: string) => Promise<void>,
  note: (name: string, line: string) => void = () => {},
): Promise<string[]> {
  return restartWithFollowers(services, name, {
    restart: dockerRestart,
    ready: async (dependency, condition) => {
      const service = services[dependency]!;
      const probe = probeFor(service, root);
      if (condition === "started" || !probe || !service.healthcheck) return true;
      try {
        await waitUntilHealthy(probe, {
          intervalMs: Math.max(service.healthcheck.interval_ms, 100),
          timeoutMs: service.healthcheck.timeout_ms,
          deadline: Date.now() + FOLLOW_DEADLINE_MS,
          signal: new AbortController().signal,
        });
        return true;
      } catch {
        return false;
      }
    },
    note,
  });
}
