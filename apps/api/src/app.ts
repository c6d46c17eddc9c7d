import cors from "@fastify/cors";
import { createControlClient } from "@zero/contracts/control-client";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { Config } from "./config.js";
import { createSecretMasker } from "./lib/mask-secrets.js";
import { buildLoggerOptions } from "./logger.js";
import { registerCache } from "./plugins/cache.js";
import { registerDatabase } from "./plugins/database.js";
import { registerDocs } from "./plugins/docs.js";
import { registerErrorHandler } from "./plugins/errors.js";
import { registerHostAllowlist } from "./plugins/host-allowlist.js";
import { registerMetrics } from "./plugins/metrics.js";
import { readRequestId, registerRequestIdHeader } from "./plugins/request-id.js";
import { RequestLog } from "./plugins/request-log.js";
import { environmentRoutes } from "./routes/environment.js";
import { healthRoutes } from "./routes/health.js";
import { domainRoutes } from "./routes/v1/index.js";

// What a caller (a test) may swap: where logs go and how long one readiness check may take.
export interface AppDependencies {
  logDestination?: DestinationStream;
  checkTimeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 400;

// Builds the whole API (plugins, then routes) without listening, so tests can drive it with inject().
export async function buildApp(config: Config, deps: AppDependencies = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...buildLoggerOptions(config.logLevel), stream: deps.logDestination },
    genReqId: readRequestId,
    logController: new RequestLog({ requestIdLogLabel: "reqId" }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerRequestIdHeader(app);
  registerHostAllowlist(app, config.allowedHosts);
  await app.register(cors, { origin: config.corsOrigins, methods: ["GET", "HEAD", "OPTIONS", "POST", "PATCH"] });
  await registerDocs(app);

  const mask = createSecretMasker([config.databaseUrl, config.redisUrl]);
  const database = registerDatabase(app, config.databaseUrl, mask, config.migrationsDir);
  const cache = config.redisUrl ? registerCache(app, config.redisUrl, mask) : undefined;
  const probes = { database: database.probe, cache: cache?.probe };
  const checkTimeoutMs = deps.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  registerMetrics(app, { pool: database.pool, probes, mask, checkTimeoutMs });
  await app.register(healthRoutes, { probes, mask, checkTimeoutMs });
  await app.register(environmentRoutes, {
    probes,
    mask,
    checkTimeoutMs,
    supervisor: config.control ? createControlClient(config.control) : undefined,
    relayToken: config.control?.token,
    urls: { api: `http://${config.host}:${config.port}`, database: config.databaseUrl, cache: config.redisUrl },
  });
  await app.register(domainRoutes, { prefix: "/api/v1", pool: database.pool, redis: cache?.redis, defaultTenant: config.defaultTenant });
  return app;
}
