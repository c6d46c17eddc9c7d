import type { ControlApi } from "./control-api.js";
import type { LogEntry } from "./log-hub.js";
import { groupUsage } from "./resource-usage.js";
import type { StackState } from "./state-file.js";
import type { Supervisor } from "./supervisor.js";

/**
 * The control API's read, restart, stop and start endpoints (`down` lives with the process lifecycle in main.ts).
 * GET /v1/status?fresh=1 checks every service's health before answering (`zero status`, `zero up` on a running
 * stack): otherwise health is the monitor's, up to one round (2 s) old.
 */
export function addRoutes(api: ControlApi, supervisor: Supervisor, state: () => StackState, checkHealthNow: () => Promise<void>) {
  api
    .route("GET", "/v1/status", async (_request, _response, _params, query) => {
      if (query.get("fresh") === "1") await checkHealthNow();
      const current = state();
      const usage = await groupUsage(Object.values(current.services).map((s) => s.pgid).filter(Boolean));
      const services = Object.fromEntries(
        Object.entries(current.services).map(([name, record]) => [name, { ...record, ...usage.get(record.pgid) }]),
      );
      return { ...current, supervisor: { pid: current.supervisor.pid }, services };
    })
    .route("POST", "/v1/services/:name/restart", async (_request, _response, { name }) => {
      await supervisor.restart(name!);
      return { restarted: name };
    })
    .route("POST", "/v1/services/:name/stop", async (_request, _response, { name }) => {
      return { service: name, stopped: await supervisor.pause(name!) };
    })
    .route("POST", "/v1/services/:name/start", async (_request, _response, { name }) => {
      return { service: name, started: await supervisor.resume(name!) };
    })
    .route("GET", "/v1/logs", async (request, response, _params, query) => {
      const service = query.get("service") ?? undefined;
      const tail = query.has("tail") ? Number(query.get("tail")) : 200;
      const since = query.get("since") ?? undefined;
      const history = supervisor.logs.history({ service, tail, since });
      if (query.get("follow") !== "1") return history;
      // Server-Sent Events: the history first, then every new line until the client goes away.
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      const send = (entry: LogEntry) => response.write(`data: ${JSON.stringify(entry)}\n\n`);
      history.forEach(send);
      const unsubscribe = supervisor.logs.subscribe((entry) => {
        if (!service || entry.service === service) send(entry);
      });
      const heartbeat = setInterval(() => response.write(": keep-alive\n\n"), 15_000);
      request.once("close", () => {
        unsubscribe();
        clearInterval(heartbeat);
      });
      return undefined;
    });
}
