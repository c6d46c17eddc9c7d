import { timingSafeEqual } from "node:crypto";
import { Readable } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { environmentViewSchema, type EnvironmentView } from "@zero/contracts";
import { z } from "zod";
import { timeProbe } from "../environment/dependency-checks.js";
import { mergeEnvironment, withoutCredentials } from "../environment/merge.js";
import { serviceNameSchema, type StackStatus } from "@zero/contracts/control";
import type { ControlClient } from "@zero/contracts/control-client";
import type { Probe } from "../health/readiness.js";

export interface EnvironmentRoutesOptions {
  probes: { database: Probe; cache: Probe | undefined };
  checkTimeoutMs: number;
  mask: (text: string) => string;
  /** Absent when the API does not run under zero's supervisor. */
  supervisor: ControlClient | undefined;
  /** The read token the API was given: a client of the log relay must show it (docs/observability.md). */
  relayToken: string | undefined;
  urls: { api: string; database: string; cache: string | undefined };
}

const failure = z.object({ error: z.string() });
// The page polls this: a supervisor that does not answer at once is reported as unreachable, not waited for.
const STATUS_TIMEOUT_MS = 800;
const NO_SUPERVISOR = "The API is not running under zero's supervisor (ZERO_CONTROL_URL is not set)";
const RELAY_TOKEN_NEEDED =
  "missing or wrong token: send Authorization: Bearer $(cat .zero/run/control-token-read) (docs/observability.md)";

function bearerMatches(given: string | undefined, token: string | undefined): boolean {
  if (!token || !given) return false;
  const [a, b] = [Buffer.from(given), Buffer.from(`Bearer ${token}`)];
  return a.length === b.length && timingSafeEqual(a, b);
}

// The environment for programs: the whole environment and its logs, read from the supervisor's control API (the
// token never leaves the API). Read-only: control actions are the dashboard's, through its own guarded path
// (apps/web/server/control-proxy.ts), so a cross-site page cannot post a restart here.
export const environmentRoutes: FastifyPluginAsyncZod<EnvironmentRoutesOptions> = async (app, options) => {
  const { supervisor, mask } = options;
  // Open log relays never end by themselves: cut them when the API shuts down, or closing would wait for every open tab.
  const relays = new Set<AbortController>();
  app.addHook("preClose", async () => {
    for (const relay of relays) relay.abort();
  });

  const readSupervisor = async (): Promise<{ status?: StackStatus; state: EnvironmentView["supervisor"] }> => {
    if (!supervisor) return { state: { state: "absent" } };
    try {
      return { status: await supervisor.status({ timeoutMs: STATUS_TIMEOUT_MS }), state: { state: "connected" } };
    } catch (error) {
      return { state: { state: "unreachable", error: mask((error as Error).message) } };
    }
  };

  app.get(
    "/api/v1/environment",
    {
      schema: {
        summary: "Every service with state, health, check latency, uptime, CPU, memory and URL",
        description: "Merges the supervisor's view (when the API runs under zero) with the API's own checks of PostgreSQL and Redis.",
        tags: ["environment"],
        response: { 200: environmentViewSchema },
      },
    },
    async () => {
      const { probes, checkTimeoutMs } = options;
      const [status, postgres, redis] = await Promise.all([
        readSupervisor(),
        timeProbe(probes.database, checkTimeoutMs, "database check", mask),
        probes.cache ? timeProbe(probes.cache, checkTimeoutMs, "cache check", mask) : undefined,
      ]);
      const uptimeSeconds = process.uptime();
      const cpu = process.cpuUsage();
      const own = {
        now: new Date(),
        api: {
          uptimeSeconds: Math.round(uptimeSeconds),
          cpuPercent: ((cpu.user + cpu.system) / 1e6 / uptimeSeconds) * 100,
          memoryBytes: process.memoryUsage().rss,
          url: options.urls.api,
        },
        checks: { postgres, ...(redis ? { redis } : {}) },
        urls: {
          postgres: withoutCredentials(options.urls.database),
          ...(options.urls.cache ? { redis: withoutCredentials(options.urls.cache) } : {}),
        },
      };
      return mergeEnvironment(own, status);
    },
  );

  app.get(
    "/api/v1/environment/logs",
    {
      schema: {
        summary: "Live logs of every service (Server-Sent Events, recent history first), relayed from the supervisor",
        description: "Each event's data is JSON: {ts, service, line}; secrets are already masked by the supervisor.",
        tags: ["environment"],
        querystring: z.object({
          service: serviceNameSchema.optional(),
          tail: z.coerce.number().int().min(0).max(5_000).default(500),
        }),
        response: { 401: failure, 503: failure },
      },
    },
    async (request, reply) => {
      if (!supervisor) return reply.code(503).send({ error: NO_SUPERVISOR });
      // Logs say more than status: like the control API, the relay answers only to a holder of the token.
      if (!bearerMatches(request.headers.authorization, options.relayToken))
        return reply.code(401).send({ error: RELAY_TOKEN_NEEDED });
      const controller = new AbortController();
      let body: ReadableStream<Uint8Array>;
      try {
        body = await supervisor.logStream(request.query, controller.signal);
      } catch (error) {
        return reply.code(503).send({ error: `The supervisor does not answer: ${mask((error as Error).message)}` });
      }
      const stream = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
      stream.on("error", () => {}); // aborting below ends the relay; that is not a failure
      relays.add(controller);
      reply.raw.once("close", () => {
        relays.delete(controller);
        controller.abort();
      });
      return reply.header("content-type", "text/event-stream").header("cache-control", "no-cache").send(stream as never); // a stream is sent as is, never serialised
    },
  );
};
