import { restartFollowers } from "../../../stack/graph.js";
import type { Supervisor } from "./supervisor.js";

/**
 * Restarts a service, then the services that asked to follow it (`depends_on: { x: { restart: true } }`), each once
 * what it follows is healthy again, in dependency order. Every deliberate restart goes through here: the dashboard,
 * `zero restart` and watch rules.
 */
export async function restartWithFollowers(supervisor: Supervisor, name: string): Promise<string[]> {
  await supervisor.restart(name);
  const restarted = [name];
  const services = Object.fromEntries([...supervisor.services].map(([key, managed]) => [key, managed.service]));
  for (const follower of restartFollowers(services, [name])) {
    const followed = Object.entries(follower.depends_on).filter(
      ([dependency, { restart }]) => restart && restarted.includes(dependency),
    );
    const notReady = followed.find(([dependency, { condition }]) => !ready(supervisor, dependency, condition));
    if (notReady) {
      supervisor.logLine(
        follower.name,
        `[zero] not restarted after ${notReady[0]}: ${notReady[0]} is not ${notReady[1].condition} again`,
      );
      continue;
    }
    supervisor.logLine(
      follower.name,
      `[zero] restarting after ${followed.map(([dependency]) => dependency).join(", ")} (depends_on restart: true)`,
    );
    await supervisor.restart(follower.name);
    restarted.push(follower.name);
  }
  return restarted;
}

function ready(supervisor: Supervisor, name: string, condition: "started" | "healthy"): boolean {
  const record = supervisor.services.get(name)?.record;
  if (!record || record.state !== "running") return false;
  return condition === "started" || !supervisor.services.get(name)!.service.healthcheck || record.health === "healthy";
}
