import { once } from "node:events";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Probe } from "../health/readiness.js";

const MAX_RECONNECT_DELAY_MS = 2_000;
// While connecting, a probe waits for the handshake (within its timeout) instead of failing at once.
const HANDSHAKING = new Set(["connecting", "connect"]);

// Connects to Redis in the background with endless backoff, so the API starts and keeps running while Redis
// is down and recovers by itself; commands fail fast instead of queueing. Returns the client and its readiness probe.
export function registerCache(app: FastifyInstance, redisUrl: string, mask: (text: string) => string): { redis: Redis; probe: Probe } {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  });
  let lastError: string | undefined;
  redis.on("error", (error: Error) => {
    const message = mask(error.message);
    if (message !== lastError) app.log.warn({ error: message }, "cache connection error");
    lastError = message;
  });
  redis.on("ready", () => {
    if (lastError) app.log.info("cache connection restored");
    lastError = undefined;
  });
  redis.connect().catch(() => {
    // Reported through the 'error' event above; ioredis keeps retrying.
  });
  app.addHook("onClose", async () => {
    redis.disconnect();
  });
  const probe: Probe = async (signal) => {
    if (HANDSHAKING.has(redis.status)) await once(redis, "ready", { signal });
    if (redis.status !== "ready") {
      throw new Error(`not connected (${redis.status}${lastError ? `; last error: ${lastError}` : ""})`);
    }
    await redis.ping();
  };
  return { redis, probe };
}
