import { restartWithFollowers as inOrder } from "../../../orchestrate/restart-with-followers.js";
import type { Supervisor } from "./supervisor.js";

/**
 * A deliberate restart natively (control API, watch rules): the service, then its `restart: true` followers. Called
 * inside the service's own queued action (`supervisor.actions`); each follower's restart is queued on its own.
 */
export function restartWithFollowers(supervisor: Supervisor, name: string): Promise<string[]> {
  const services = Object.fromEntries([...supervisor.services].map(([key, managed]) => [key, managed.service]));
  return inOrder(services, name, {
    restart: async (service) => {
      if (service === name) return supervisor.restart(service);
      await supervisor.actions.run(service, "restart", () => supervisor.restart(service));
    },
    // The supervisor's restart waits for the health check: the record says now whether it passed.
    ready: async (service, condition) => {
      const managed = supervisor.services.get(service);
      if (managed?.record.state !== "running") return false;
      return condition === "started" || !managed.service.healthcheck || managed.record.health === "healthy";
    },
    note: (service, line) => supervisor.logLine(service, line),
  });
}
