import type { StackService, StackStatus } from "@zero/contracts/control";
import type { ChangeFeed } from "../../../control/changes.js";
import { readConfigView } from "../../../control/config-view.js";
import type { ControlApi } from "../../../control/control-api.js";
import { addControlRoutes } from "../../../control/routes.js";
import { dependencyConditions } from "../../../stack/graph.js";
import { groupUsageReader, type Usage } from "./resource-usage.js";
import { restartWithFollowers } from "./restart-followers.js";
import type { StackState } from "./state-file.js";
import type { Supervisor } from "./supervisor.js";

/** The control API over the supervisor's managed processes (`down` lives with the process lifecycle in main.ts). */
export function addRoutes(
  api: ControlApi,
  supervisor: Supervisor,
  state: () => StackState,
  checkHealthNow: () => Promise<void>,
  changes: ChangeFeed,
  /** Resolves once the state file holds every change so far: an action's answer means the file records it too. */
  recorded: () => Promise<void>,
) {
  const startedAtSeconds = Math.floor(Date.now() / 1000);
  const masked = (text: string | undefined) => (text === undefined ? undefined : supervisor.mask(text));
  const groupUsage = groupUsageReader();
  /** An action's answer, given once the state file records what it did. */
  const onceRecorded = async <T>(answer: T | Promise<T>): Promise<T> => {
    const value = await answer;
    await recorded();
    return value;
  };
  const measureUsage = () => groupUsage(Object.values(state().services).map((s) => s.pgid).filter(Boolean));
  addControlRoutes(api, {
    measureUsage,
    snapshot: (usage: Map<number, Usage>): StackStatus => {
      const current = state();
      const services = Object.fromEntries(
        Object.entries(current.services).map(([name, record]) => {
          const { service } = supervisor.services.get(name)!;
          // Its words and URLs with every secret value masked: `zero status` prints this answer as it is.
          const urls = Object.fromEntries(Object.entries(service.urls).map(([label, url]) => [label, supervisor.mask(url)]));
          const about = { kind: service.kind, description: service.description, dependsOn: dependencyConditions(service), urls };
          const words = { lastError: masked(record.lastError), lastExit: masked(record.lastExit) };
          return [name, { ...record, ...words, ...usage.get(record.pgid), ...about } satisfies StackService];
        }),
      );
      // Never the token: the state file's supervisor record minus it.
      return { ...current, supervisor: { pid: current.supervisor.pid }, services, at: new Date().toISOString(), masked: true };
    },
    checkHealthNow,
    subscribe: (listener) => changes.subscribe(listener),
    config: () => readConfigView({ ...supervisor.plan, runtime: "native" }, supervisor.mask),
    stacks: async () => (await import("../../../stacks/current.js")).stacksView(supervisor.plan),
    restart: (name) => onceRecorded(restartWithFollowers(supervisor, name).then(() => ({ restarted: name }))),
    stop: async (name) => onceRecorded({ service: name, stopped: await supervisor.pause(name) }),
    start: async (name) => onceRecorded({ service: name, started: await supervisor.resume(name) }),
    actions: supervisor.actions,
    logs: supervisor.logs,
    mask: supervisor.mask,
  });
  // Prometheus scrapes this with the same token (its credentials_file); plain text, outside the JSON contract.
  api.route("GET", "/metrics", async (_request, response) => {
    const text = supervisor.metrics.render(state().services, await measureUsage(), startedAtSeconds);
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    response.end(text);
    return undefined;
  });
}
