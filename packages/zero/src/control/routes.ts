import type {
  ConfigView,
  LogEntry,
  RestartResult,
  ServiceAction,
  StacksView,
  StackStatus,
  StartResult,
  StopResult,
} from "@zero/contracts/control";
import { readLogsQuery, readServiceParams, readStatusQuery } from "@zero/contracts/control-requests";
import { type ControlApi, valid } from "./control-api.js";
import { addTraceRoutes } from "./trace-routes.js";
import type { LogHub } from "./log-hub.js";
import type { ServiceQueue } from "./service-queue.js";
import { SseStream } from "./sse.js";

// Usage (CPU, memory) is measured this often; a change is sent at once.
const USAGE_EVERY_MS = 2_000;
const HEARTBEAT_MS = 15_000;

/**
 * What runs the stack, as the control API needs it: the native supervisor (managed processes) or the compose
 * control server (Docker). Both answer the same routes with the same shapes, so the dashboard, the API and the
 * CLI do not know which one they talk to.
 */
export interface ControlBackend<Usage> {
  /** CPU and memory of every service (slow: ps or docker stats), given back to `snapshot`. */
  measureUsage(): Promise<Usage>;
  /** GET /v1/status's body: the stack and every service's record with the usage measured last. */
  snapshot(usage: Usage): StackStatus;
  /** Checks every service's health now (status?fresh=1) instead of answering with the last round's. */
  checkHealthNow(): Promise<void>;
  /** Calls `listener` on every change of a service's state; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void;
  config(): Promise<ConfigView>;
  /** This stack's name and the other running stacks of this user (the per-user registry, gone entries pruned). */
  stacks(): Promise<StacksView>;
  restart(name: string): Promise<RestartResult>;
  stop(name: string): Promise<StopResult>;
  start(name: string): Promise<StartResult>;
  /** Restart, stop and start of one service, one at a time (the backend's own restarts of a crash use it too). */
  readonly actions: ServiceQueue;
  readonly logs: LogHub;
  /** Hides the stack's secrets in what the API sends (trace attributes), as in its log lines. */
  readonly mask: (text: string) => string;
}

/**
 * The control API's read, restart, stop and start endpoints, as the contract declares them (packages/contracts/src/control:
 * each answer typed with its schema's type, each request read by its rules); `down` belongs to whoever owns the lifecycle.
 * GET /v1/status?fresh=1 checks every service's health before answering (`zero status`, `zero up` on a running
 * stack): otherwise health is the last round's. With follow=1 status and logs are Server-Sent Events: status on
 * every change, logs resumable with Last-Event-ID.
 */
export function addControlRoutes<Usage>(api: ControlApi, backend: ControlBackend<Usage>) {
  const sampler = new UsageSampler(backend);
  // In order per service; a request that arrives while the same action is queued or running joins it (and says so).
  const queued = async <T extends object>(name: string, action: ServiceAction, run: (name: string) => Promise<T>) => {
    const { result, joined } = await backend.actions.run(name, action, () => run(name));
    return { ...result, joined };
  };
  api
    .route("GET", "/v1/status", async (request, response, _params, query) => {
      const { fresh, follow } = valid(readStatusQuery(query));
      // The health checks (round trips to each service) and the usage reading (a process table scan) overlap: the
      // checks are sent first.
      if (!follow) {
        const [, usage] = await Promise.all([fresh ? backend.checkHealthNow() : undefined, backend.measureUsage()]);
        return backend.snapshot(usage);
      }
      if (fresh) await backend.checkHealthNow();
      // A change is sent at once with the usage measured last (ps and docker stats take a while on a busy machine);
      // usage is measured again every 2 s.
      const stream = new SseStream(response);
      let queued = false;
      const push = () => {
        if (queued) return;
        queued = true; // the changes of one tick (a stop touches state, health, pid) go as one event
        queueMicrotask(() => {
          queued = false;
          stream.send(JSON.stringify(backend.snapshot(sampler.latest)), { event: "status" });
        });
      };
      await sampler.ready();
      push();
      const unsubscribe = backend.subscribe(push);
      const unfollow = sampler.follow(push);
      request.once("close", () => {
        unsubscribe();
        unfollow();
      });
      return undefined;
    })
    .route("GET", "/v1/config", () => backend.config())
    .route("GET", "/v1/stacks", () => backend.stacks())
    .route(
      "POST",
      "/v1/services/:name/restart",
      (_request, _response, params) =>
        queued(valid(readServiceParams(params)).name, "restart", (name) => backend.restart(name)),
      "act",
    )
    .route(
      "POST",
      "/v1/services/:name/stop",
      (_request, _response, params) =>
        queued(valid(readServiceParams(params)).name, "stop", (name) => backend.stop(name)),
      "act",
    )
    .route(
      "POST",
      "/v1/services/:name/start",
      (_request, _response, params) =>
        queued(valid(readServiceParams(params)).name, "start", (name) => backend.start(name)),
      "act",
    )
    .route("GET", "/v1/logs", async (request, response, _params, query): Promise<LogEntry[] | undefined> => {
      const { logs } = backend;
      const { service, tail, since, follow, after } = valid(readLogsQuery(query));
      if (!follow) return logs.history({ service, tail, since });
      // A reconnecting follower says where it stopped: it gets only what it missed, not the history again.
      const resumeFrom = Number(request.headers["last-event-id"] ?? after ?? Number.NaN);
      const resuming = Number.isInteger(resumeFrom);
      const stream = new SseStream(response);
      const history = logs.numbered(resuming ? { service, after: resumeFrom } : { service, tail, since });
      for (const { id, entry } of history) stream.send(JSON.stringify(entry satisfies LogEntry), { id });
      const unsubscribe = logs.subscribe(({ id, entry }) => {
        if (!service || entry.service === service) stream.send(JSON.stringify(entry), { id });
      });
      const heartbeat = setInterval(() => stream.comment("keep-alive"), HEARTBEAT_MS);
      request.once("close", () => {
        unsubscribe();
        clearInterval(heartbeat);
      });
      return undefined;
    });
  addTraceRoutes(api, backend.logs, backend.mask);
}

/**
 * CPU and memory for every status follower from one measurement every USAGE_EVERY_MS (ps or docker stats is slow):
 * the page and the API's relay follow at the same time, and each used to measure on its own timer.
 */
class UsageSampler<Usage> {
  latest!: Usage;
  private measured?: Promise<void>;
  private readonly followers = new Set<() => void>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly backend: ControlBackend<Usage>) {}

  /** Measured at least once (a new follower's first event has usage). */
  ready(): Promise<void> {
    this.measured ??= this.measure().catch((error: unknown) => {
      this.measured = undefined; // a failed first reading is tried again by the next follower
      throw error;
    });
    return this.measured;
  }

  /** Calls `onUsage` after each new measurement while followed; returns the function that stops following. */
  follow(onUsage: () => void): () => void {
    this.followers.add(onUsage);
    this.timer ??= setInterval(
      () =>
        void this.measure().then(
          () => {
            for (const notify of this.followers) notify();
          },
          () => {}, // a failed sample (ps cannot fork under load) keeps the last reading; the next one tries again
        ),
      USAGE_EVERY_MS,
    );
    return () => {
      this.followers.delete(onUsage);
      if (this.followers.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
      this.measured = undefined; // the next follower measures afresh, not with a reading from long ago
    };
  }

  private async measure(): Promise<void> {
    this.latest = await this.backend.measureUsage();
  }
}
