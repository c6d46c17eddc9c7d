import { rmSync } from "node:fs";
import { join } from "node:path";
import { createControlClient } from "@zero/contracts/control-client";
import { controlAddress } from "@zero/contracts/control-endpoint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { dockerAnswers } from "../helpers/docker.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const PORTS = ["API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"];
const PROJECT = `zero-e2e-traces-compose-${process.pid}`;
// A seeded artist; its availability reads PostgreSQL (tenant, artist, bookings) and Redis (cache read, then write).
const AVAILABILITY = "/api/v1/artists/30000000-0000-4000-8000-000000000005/availability?from=2026-01-01&to=2026-01-31";
const ROUTE = "GET /api/v1/artists/:id/availability";

/**
 * `make dev runtime=compose traces=1`: the API container reaches the compose control server only through its Unix
 * socket, so its spans go there by apps/api/tracing/socket-exporter.mjs; read back with the control client, as the
 * dashboard and `zero` do. Real Docker, PostgreSQL, Redis and OpenTelemetry (the browser view is traces.test.ts).
 */
describe.runIf(dockerAnswers || process.env.CI).sequential("request traces under Docker Compose (traces=1)", () => {
  let env: Record<string, string>;
  const args = ["runtime=compose", "profile=backend", "traces=1"];

  beforeAll(async () => {
    env = await isolatedEnv(PORTS, {
      COMPOSE_PROJECT_NAME: PROJECT,
      POSTGRES_PASSWORD: "e2e-traces-compose-pg-password",
      REDIS_PASSWORD: "e2e-traces-compose-redis-password",
    });
    const result = await make("dev", args, env);
    expect(result.exitCode, result.all).toBe(0);
  }, 400_000); // the first run on a machine builds the images

  afterAll(async () => {
    await make("down", [...args, "volumes=1"], env);
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  }, 120_000);

  it("keeps a request that queries PostgreSQL and Redis as one trace at the compose control server", async () => {
    const response = await fetch(`http://127.0.0.1:${env.API_PORT}${AVAILABILITY}`);
    expect(response.status).toBe(200);
    // The read token the dashboard's and the API's containers hold, over the server's socket.
    const address = controlAddress({
      ZERO_CONTROL_URL: `unix:${join(env.ZERO_HOME!, "control", "mount", "control.sock")}`,
      ZERO_CONTROL_TOKEN_FILE: join(env.ZERO_HOME!, "control", "tokens", "read", "token"),
    });
    const client = createControlClient(address!);
    const listed = await waitFor(
      async () => (await client.traces({ order: "recent" })).traces.find((trace) => trace.name === ROUTE),
      30_000,
      "the request's trace at the compose control server",
    );
    expect(listed).toMatchObject({ service: "api", httpStatus: 200, error: false });
    const trace = await client.trace(listed!.traceId); // waitFor returned it: defined
    const names = trace.spans.map((span) => span.name);
    expect(names[0]).toBe(ROUTE);
    expect(names.filter((name) => name.startsWith("pg.query")).length).toBeGreaterThanOrEqual(2);
    expect(names).toContain("hget");
    // The exporter's own posts to the socket are not traced as the app's outgoing requests.
    expect(trace.spans.some((span) => span.name === "POST" && span.kind === "client")).toBe(false);
  }, 60_000);
});
