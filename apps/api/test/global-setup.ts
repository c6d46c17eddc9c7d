import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { TestProject } from "vitest/node";
import { findClosedPort } from "./support/ports.js";
import "./support/provided-context.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const zero = join(repoRoot, "packages", "zero", "bin", "zero.js");

/**
 * Starts a throwaway real PostgreSQL and Redis with zero itself (the `test` profile, only those
 * two services, free ports, a temporary ZERO_HOME) and hands their URLs to the tests.
 */
export default async function setup(project: TestProject) {
  const home = mkdtempSync(join(tmpdir(), "api-test-"));
  chmodSync(home, 0o755); // the unprivileged postgres user must be able to enter it
  const postgresPort = await findClosedPort();
  const redisPort = await findClosedPort();
  const env = { ...process.env, ZERO_HOME: home, POSTGRES_PORT: String(postgresPort), REDIS_PORT: String(redisPort), NO_COLOR: "1" };
  const run = (...args: string[]) => execa(process.execPath, [zero, ...args, "--profile", "test"], { cwd: repoRoot, env, reject: false, all: true });
  const up = await run("up", "postgres", "redis");
  if (up.exitCode !== 0) throw new Error(`could not start PostgreSQL and Redis for the API tests:\n${up.all}`);
  // The test profile's fixed, non-secret passwords (stack.yaml).
  const postgresPassword = "test-only-postgres-password";
  const redisPassword = "test-only-redis-password";
  project.provide("databaseUrl", `postgres://app:${postgresPassword}@127.0.0.1:${postgresPort}/app`);
  project.provide("redisUrl", `redis://:${redisPassword}@127.0.0.1:${redisPort}`);
  // The supervisor that runs them, for the environment endpoints (address and token from its state file).
  const { supervisor } = JSON.parse(readFileSync(join(home, "state.json"), "utf8")) as { supervisor: { controlPort: number; token: string } };
  project.provide("control", { url: `http://127.0.0.1:${supervisor.controlPort}`, token: supervisor.token });
  return async () => {
    await run("down");
    rmSync(home, { recursive: true, force: true });
  };
}
