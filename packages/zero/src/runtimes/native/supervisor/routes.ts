import type { LogEntry, RestartResult, StackService, StackStatus, StartResult, StopResult } from "@zero/contracts/control";
import { readLogsQuery, readServiceParams, readStatusQuery } from "@zero/contracts/control-requests";
import type { ChangeFeed } from "./changes.js";
import { readConfigView } from "./config-view.js";
import { type ControlApi, valid } from "./control-api.js";
import { groupUsage, type Usage } from "./resource-usage.js";
import { SseStream } from "./sse.js";
import type { StackState } from "./state-file.js";
import type { Supervisor } from "./supervisor.js";

// Usage (CPU, memory) is measured this often; a change is sent at once.
const USAGE_EVERY_MS = 2_000;
const HEARTBEAT_MS = 15_000;

/**
 * The control API's read, restart, stop and start endpoints, as the contract declares them
 * (packages/contracts/src/control: each answer typed with its schema's type, each request read by its rules) (`down` lives with the process lifecycle in main.ts).
 * GET /v1/status?fresh=1 checks every service's health before answering (`zero status`, `zero up` on a running
 * stack): otherwise health is the monitor's, up to one round (2 s) old. With follow=1 status and logs are
 * Server-Sent Events: status on every change, logs resumable with Last-Event-ID.
 */
export function addRoutes(
  api: ControlApi,
  supervisor: Supervisor,
  state: () => StackState,
  checkHealthNow: () => Promise<void>,
  changes: ChangeFeed,
) {
  const startedAtSeconds = Math.floor(Date.now() / 1000);
  const measureUsage = () => groupUsage(Object.values(state().services).map((s) => s.pgid).filter(Boolean));
  const snapshot = (usage: Map<number, Usage>): StackStatus => {
    const current = state();
    const services = Object.fromEntries(
      Object.entries(current.services).map(([name, record]) => {
        const { service } = supervisor.services.get(name)!;
        const about = { kind: service.kind, description: service.description, dependsOn: Object.keys(service.depends_on), urls: service.urls };
        return [name, { ...record, ...usage.get(record.pgid), ...about } satisfies StackService];
      }),
    );
    // Never the token: the state file's supervisor record minus it.
    return { ...current, supervisor: { pid: current.supervisor.pid }, services, at: new Date().toISOString() };
  };

  api
    .route("GET", "/v1/status", async (request, response, _params, query) => {
      const { fresh, follow } = valid(readStatusQuery(query));
      if (fresh) await checkHealthNow();
      if (!follow) return snapshot(await measureUsage());
      // A change is sent at once with the usage measured last (ps takes a while on a busy machine); usage is
      // measured again every 2 s.
      const stream = new SseStream(response);
      let usage = await measureUsage();
      let queued = false;
      const push = () => {
        if (queued) return;
        queued = true; // the changes of one tick (a stop touches state, health, pid) go as one event
        queueMicrotask(() => {
          queued = false;
          stream.send(JSON.stringify(snapshot(usage)), { event: "status" });
        });
      };
      push();
      const unsubscribe = changes.subscribe(push);
      const usageTimer = setInterval(() => void measureUsage().then((measured) => {
        usage = measured;
        push();
      }), USAGE_EVERY_MS);
      request.once("close", () => {
        unsubscribe();
        clearInterval(usageTimer);
      });
      return undefined;
    })
    // Prometheus scrapes this with the same token (its credentials_file); plain text, outside the JSON contract.
    .route("GET", "/metrics", async (_request, response) => {
      const text = supervisor.metrics.render(state().services, await measureUsage(), startedAtSeconds);
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      response.end(text);
      return undefined;
    })
    .route("GET", "/v1/config", () => readConfigView(supervisor.plan, supervisor.mask))
    .route("POST", "/v1/services/:name/restart", async (_request, _response, params): Promise<RestartResult> => {
      const { name } = valid(readServiceParams(params));
      await supervisor.restart(name);
      return { restarted: name };
    })
    .route("POST", "/v1/services/:name/stop", async (_request, _response, params): Promise<StopResult> => {
      const { name } = valid(readServiceParams(params));
      return { service: name, stopped: await supervisor.pause(name) };
    })
    .route("POST", "/v1/services/:name/start", async (_request, _response, params): Promise<StartResult> => {
      const { name } = valid(readServiceParams(params));
      return { service: name, started: await supervisor.resume(name) };
    })
    .route("GET", "/v1/logs", async (request, response, _params, query): Promise<LogEntry[] | undefined> => {
      const { service, tail, since, follow, after } = valid(readLogsQuery(query));
      if (!follow) return supervisor.logs.history({ service, tail, since });
      // A reconnecting follower says where it stopped: it gets only what it missed, not the history again.
      const resumeFrom = Number(request.headers["last-event-id"] ?? after ?? Number.NaN);
      const resuming = Number.isInteger(resumeFrom);
      const stream = new SseStream(response);
      const history = supervisor.logs.numbered(resuming ? { service, after: resumeFrom } : { service, tail, since });
      for (const { id, entry } of history) stream.send(JSON.stringify(entry satisfies LogEntry), { id });
      const unsubscribe = supervisor.logs.subscribe(({ id, entry }) => {
        if (!service || entry.service === service) stream.send(JSON.stringify(entry), { id });
      });
      const heartbeat = setInterval(() => stream.comment("keep-alive"), HEARTBEAT_MS);
      request.once("close", () => {
        unsubscribe();
        clearInterval(heartbeat);
      });
      return undefined;
    });
}
