import { restartFollowers } from "../stack/graph.js";
import type { DependencyCondition, Service } from "../stack/schema.js";

/** What a runtime gives to restart services in dependency order. */
export interface RestartOps {
  restart: (name: string) => Promise<void>;
  /** Whether the service meets the condition now (or soon: a runtime may wait for it); false stops its followers. */
  ready: (name: string, condition: DependencyCondition) => Promise<boolean>;
  note: (name: string, line: string) => void;
}

/**
 * Restarts a service, then the services that asked to follow it (`depends_on: { x: { restart: true } }`, Compose's
 * depends_on.restart), each once what it follows meets its condition again, in dependency order. Every deliberate
 * restart goes through here on every runtime: the dashboard, `zero restart` and watch rules.
 */
export async function restartWithFollowers(
  services: Record<string, Service>,
  name: string,
  ops: RestartOps,
): Promise<string[]> {
  await ops.restart(name);
  const restarted = [name];
  for (const follower of restartFollowers(services, [name])) {
    const followed = Object.entries(follower.depends_on).filter(
      ([dependency, { restart }]) => restart && restarted.includes(dependency),
    );
    let waiting: string | undefined;
    for (const [dependency, { condition }] of followed) {
      if (!(await ops.ready(dependency, condition))) waiting = `${dependency} is not ${condition} again`;
    }
    if (waiting || followed.length === 0) {
      ops.note(follower.name, `[zero] not restarted after ${name}: ${waiting ?? "what it follows was not restarted"}`);
      continue;
    }
    ops.note(
      follower.name,
      `[zero] restarting after ${followed.map(([dependency]) => dependency).join(", ")} (depends_on restart: true)`,
    );
    await ops.restart(follower.name);
    restarted.push(follower.name);
  }
  return restarted;
}
