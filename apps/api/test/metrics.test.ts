import { spawnSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { buildTestApp } from "./support/build-test-app.js";
import { findClosedPort, replacePort } from "./support/ports.js";

describe("GET /metrics", () => {
  it("counts requests by route pattern, method and status, with a latency histogram, pool and dependency gauges", async () => {
    const { app } = await buildTestApp();
    await app.inject("/health");
    await app.inject("/health?x=1");
    await app.inject("/health/ready");
    await app.inject("/no-such-page");
    const response = await app.inject("/metrics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toContain('http_requests_total{method="GET",route="/health",status_code="200"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="/health/ready",status_code="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/health",status_code="200"\} \d/);
    expect(text).toMatch(/^db_pool_connections_open [1-9]/m);
    expect(text).toMatch(/^db_pool_connections_idle \d/m);
    expect(text).toMatch(/^db_pool_requests_waiting 0/m);
    expect(text).toContain('dependency_up{dependency="database"} 1');
    expect(text).toContain('dependency_up{dependency="cache"} 1');
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("reports a dependency that does not answer as down", async () => {
    const { app } = await buildTestApp({ REDIS_URL: replacePort(inject("redisUrl"), await findClosedPort()) });
    const text = (await app.inject("/metrics")).body;
    expect(text).toContain('dependency_up{dependency="cache"} 0');
    expect(text).toContain('dependency_up{dependency="database"} 1');
  });
});

describe("metric names", () => {
  it("follow the Prometheus conventions (promtool check metrics, from Debian's prometheus package)", async () => {
    const { app } = await buildTestApp();
    await app.inject("/health/ready");
    const text = (await app.inject("/metrics")).body;
    const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(result.error?.message, "promtool is in Debian's prometheus package").toBeUndefined();
    // A line per finding (exit 3). prom-client's own default gauges keep their upstream names, which dashboards
    // for Node expect; every name of ours must pass.
    const upstream = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];
    const findings = `${result.stdout}${result.stderr}`
      .split("\n")
      .filter((line) => line && !upstream.some((name) => line.startsWith(`${name} `)));
    expect(findings).toEqual([]);
  });
});

describe("database query logging", () => {
  it("logs each query's SQL and duration at DEBUG, and nothing of it at INFO", async () => {
    const debug = await buildTestApp({ LOG_LEVEL: "DEBUG" });
    await debug.app.inject("/health/ready");
    expect(debug.logs.entries()).toContainEqual(expect.objectContaining({ level: "debug", msg: "database query", sql: "select 1", durationMs: expect.any(Number) }));

    const info = await buildTestApp({ LOG_LEVEL: "INFO" });
    await info.app.inject("/health/ready");
    expect(info.logs.text()).not.toContain("database query");
  });
});
