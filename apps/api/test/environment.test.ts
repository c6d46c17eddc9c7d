import { describe, expect, inject, it, onTestFinished } from "vitest";
import type { ServiceView } from "@zero/contracts";
import { buildTestApp } from "./support/build-test-app.js";
import { findClosedPort, replacePort } from "./support/ports.js";

const control = () => inject("control");
const underSupervisor = () => ({ ZERO_CONTROL_URL: control().url, ZERO_CONTROL_TOKEN: control().token });
const byName = (body: { services: ServiceView[] }): Record<string, ServiceView> => Object.fromEntries(body.services.map((s) => [s.name, s]));

describe("GET /api/v1/environment", () => {
  it("without a supervisor, reports the API itself and its own checks of PostgreSQL and Redis", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject("/api/v1/environment");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe("ready");
    expect(body.supervisor).toEqual({ state: "absent" });
    const services = byName(body);
    expect(Object.keys(services).sort()).toEqual(["api", "postgres", "redis"]);
    expect(services.postgres).toMatchObject({ state: "running", health: "healthy", latencyMs: expect.any(Number), url: expect.stringMatching(/^postgres:\/\/127\.0\.0\.1:\d+\/app$/) });
    expect(services.redis).toMatchObject({ state: "running", health: "healthy", url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/) });
    expect(services.api).toMatchObject({ state: "running", health: "healthy", memoryBytes: expect.any(Number), uptimeSeconds: expect.any(Number) });
    expect(response.body).not.toMatch(/test-only-(postgres|redis)-password/);
  });

  it("merges the supervisor's view (uptime, CPU, memory, restarts) and never returns its token", async () => {
    const { app } = await buildTestApp(underSupervisor());
    const response = await app.inject("/api/v1/environment");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.supervisor).toEqual({ state: "connected" });
    const { postgres, redis } = byName(body);
    for (const service of [postgres, redis]) {
      expect(service).toMatchObject({
        state: "running",
        health: "healthy",
        uptimeSeconds: expect.any(Number),
        cpuPercent: expect.any(Number),
        memoryBytes: expect.any(Number),
        restarts: 0,
        latencyMs: expect.any(Number),
      });
      expect(service!.memoryBytes).toBeGreaterThan(1_000_000);
    }
    expect(redis!.url).toBe(`redis://127.0.0.1:${new URL(inject("redisUrl")).port}`);
    expect(response.body).not.toContain(control().token);
    expect(response.body).not.toMatch(/test-only-(postgres|redis)-password/);
  });

  it("shows a dependency the API cannot reach as unhealthy with the reason, and the environment as degraded", async () => {
    const redisUrl = replacePort(inject("redisUrl"), await findClosedPort());
    const { app } = await buildTestApp({ ...underSupervisor(), REDIS_URL: redisUrl });
    const body = (await app.inject("/api/v1/environment")).json();
    expect(body.status).toBe("degraded");
    const { redis, postgres } = byName(body);
    expect(redis).toMatchObject({ health: "unhealthy", error: expect.any(String) });
    expect(postgres).toMatchObject({ health: "healthy" });
    expect(JSON.stringify(body)).not.toContain("test-only-redis-password");
  });

  it("still answers when the supervisor does not, saying so", async () => {
    const { app } = await buildTestApp({ ZERO_CONTROL_URL: `http://127.0.0.1:${await findClosedPort()}`, ZERO_CONTROL_TOKEN: "x" });
    const started = performance.now();
    const response = await app.inject("/api/v1/environment");
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(response.statusCode).toBe(200);
    expect(response.json().supervisor).toMatchObject({ state: "unreachable", error: expect.any(String) });
  });
});

describe("GET /api/v1/environment/logs", () => {
  it("answers 503 without a supervisor", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject("/api/v1/environment/logs");
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toMatch(/supervisor/);
  });

  it("relays the supervisor's log stream as Server-Sent Events, history of the chosen service first", async () => {
    const { app } = await buildTestApp(underSupervisor());
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const controller = new AbortController();
    onTestFinished(() => controller.abort());
    const response = await fetch(`${address}/api/v1/environment/logs?service=postgres&tail=3`, {
      signal: controller.signal,
      headers: { authorization: `Bearer ${control().token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = "";
    while ((text.match(/^data: /gm) ?? []).length < 3) text += new TextDecoder().decode((await reader.read()).value);
    const events = text.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)));
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const event of events) expect(event).toMatchObject({ service: "postgres", ts: expect.any(String), line: expect.any(String) });
    expect(text).not.toContain(control().token);
    // An open relay does not hold the API's shutdown.
    const closing = performance.now();
    await app.close();
    expect(performance.now() - closing).toBeLessThan(1_000);
  });

  it("rejects a malformed service name with 400", async () => {
    const { app } = await buildTestApp(underSupervisor());
    expect((await app.inject("/api/v1/environment/logs?service=../x")).statusCode).toBe(400);
  });

  it("answers 401, streaming nothing, without the token or with a wrong one", async () => {
    const { app } = await buildTestApp(underSupervisor());
    for (const authorization of [undefined, "Bearer wrong", `Bearer ${control().token}x`]) {
      const headers = authorization ? { authorization } : {};
      const response = await app.inject({ url: "/api/v1/environment/logs?tail=3", headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toMatch(/token/);
    }
  });
});

describe("control actions", () => {
  it("are not offered by the API: a cross-site POST has nothing to hit", async () => {
    const { app } = await buildTestApp(underSupervisor());
    const response = await app.inject({ method: "POST", url: "/api/v1/environment/services/redis/restart" });
    expect(response.statusCode).toBe(404);
  });
});

describe("Host allowlist (DNS rebinding)", () => {
  it("refuses a foreign Host with 403 and answers loopback names", async () => {
    const { app } = await buildTestApp();
    expect((await app.inject({ url: "/health", headers: { host: "evil.example:3001" } })).statusCode).toBe(403);
    expect((await app.inject({ url: "/health", headers: { host: "127.0.0.1.evil.example" } })).statusCode).toBe(403);
    // An address (a Kubernetes or Docker health probe sends the pod's) is no rebinding risk: only names are refused.
    for (const host of ["127.0.0.1:3001", "localhost:3001", "[::1]:3001", "app.localhost", "10.244.1.17:3001", "[fd00::5]:3001"]) {
      expect((await app.inject({ url: "/health", headers: { host } })).statusCode, host).toBe(200);
    }
  });
});

describe("OpenAPI document", () => {
  it("describes the environment endpoints and /metrics from their schemas", async () => {
    const { app } = await buildTestApp();
    const paths = (await app.inject("/openapi.json")).json().paths;
    expect(paths["/api/v1/environment"].get.responses["200"].content["application/json"].schema.properties.services).toBeDefined();
    expect(paths["/api/v1/environment/logs"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["service", "tail"]);
    expect(paths["/metrics"]).toBeDefined();
  });
});
