import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { checkReadiness, type Probe } from "../health/readiness.js";

// What the health routes need: the probes of each dependency, how long one may take, and how to hide secrets.
export interface HealthRoutesOptions {
  probes: { database: Probe; cache: Probe | undefined };
  checkTimeoutMs: number;
  mask: (text: string) => string;
}

const liveness = z.object({
  status: z.literal("ok"),
  timestamp: z.iso.datetime(),
});

const dependencyState = z.enum(["ok", "error", "disabled"]);
const readiness = z.object({
  status: z.enum(["ready", "not_ready"]),
  database: dependencyState,
  cache: dependencyState.describe('"disabled" when REDIS_URL is not set'),
  errors: z
    .object({ database: z.string().optional(), cache: z.string().optional() })
    .optional()
    .describe("Why each failing dependency is not ready"),
});

// Liveness (is the process serving?) and readiness (can it reach its dependencies?) for the orchestrator and dashboard.
export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (app, options) => {
  app.get(
    "/health",
    {
      schema: {
        summary: "Liveness: the process is up (checks no dependency)",
        tags: ["health"],
        response: { 200: liveness },
      },
    },
    async () => ({ status: "ok" as const, timestamp: new Date().toISOString() }),
  );

  app.get(
    "/health/ready",
    {
      schema: {
        summary: "Readiness: PostgreSQL answers a query and Redis a PING (each within its own timeout)",
        tags: ["health"],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (request, reply) => {
      const result = await checkReadiness(options.probes, options.checkTimeoutMs, options.mask);
      if (result.status !== "ready") request.log.debug({ errors: result.errors }, "not ready");
      return reply.code(result.status === "ready" ? 200 : 503).send(result);
    },
  );
};
