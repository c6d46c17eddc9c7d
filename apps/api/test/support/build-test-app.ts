import type { FastifyInstance } from "fastify";
import { inject, onTestFinished } from "vitest";
import { type AppDependencies, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogCapture, type LogCapture } from "./log-capture.js";
import "./provided-context.js";

// A readiness check's limit in tests that are about the answers, not their speed: a first connection to the real
// PostgreSQL took more than the app's 400 ms on a loaded CI machine. readiness-failures.test.ts checks the 400 ms.
const PATIENT_CHECK_MS = 5_000;

// Builds the real app against the provided real PostgreSQL and Redis (env overrides win; `undefined` unsets a
// variable), captures its logs, and closes it when the test ends.
export async function buildTestApp(
  env: Record<string, string | undefined> = {},
  deps: Pick<AppDependencies, "checkTimeoutMs"> = {},
): Promise<{ app: FastifyInstance; logs: LogCapture }> {
  const config = loadConfig({
    DATABASE_URL: inject("databaseUrl"),
    REDIS_URL: inject("redisUrl"),
    LOG_LEVEL: "INFO",
    ...env,
  });
  const logs = createLogCapture();
  const app = await buildApp(config, { checkTimeoutMs: PATIENT_CHECK_MS, ...deps, logDestination: logs.stream });
  onTestFinished(() => app.close());
  return { app, logs };
}
