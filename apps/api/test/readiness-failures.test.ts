import { describe, expect, inject, it, onTestFinished } from "vitest";
import { DEFAULT_CHECK_TIMEOUT_MS } from "../src/app.js";
import { buildTestApp } from "./support/build-test-app.js";
import { pollUntil } from "./support/poll.js";
import { findClosedPort, readAddress, replacePort } from "./support/ports.js";
import { startTcpFixture, type TcpFixtureMode } from "./support/tcp-fixture.js";

const SECRET = "sup3r-s3cret-pw";

async function startFixture(mode: TcpFixtureMode, target?: string) {
  const fixture = await startTcpFixture(mode, target ? readAddress(target) : undefined);
  onTestFinished(() => fixture.close());
  return fixture;
}

describe("GET /health/ready when a dependency fails", () => {
  it("answers 503 naming the database when nothing listens on its port, without the password", async () => {
    const port = await findClosedPort();
    const { app } = await buildTestApp({ DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:${port}/app` });
    const response = await app.inject("/health/ready");
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body).toMatchObject({ status: "not_ready", database: "error", cache: "ok" });
    expect(body.errors.database).toMatch(/ECONNREFUSED/);
    expect(body.errors.cache).toBeUndefined();
    expect(response.body).not.toContain(SECRET);
  });

  it("answers 503 naming the cache when Redis refuses, and keeps its password out of body and logs", async () => {
    const fixture = await startFixture("refuse");
    const redisUrl = `redis://:${SECRET}@127.0.0.1:${fixture.port}`;
    const { app, logs } = await buildTestApp({ REDIS_URL: redisUrl });
    const response = await app.inject("/health/ready");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: "not_ready", database: "ok", cache: "error" });
    expect(response.json().errors.cache).toEqual(expect.any(String));
    expect(response.body + logs.text()).not.toContain(SECRET);
  });

  it("answers within 1 s when both dependencies accept connections and never reply", async () => {
    const fixture = await startFixture("hang");
    const { app } = await buildTestApp(
      {
        DATABASE_URL: `postgres://app:${SECRET}@127.0.0.1:${fixture.port}/app`,
        REDIS_URL: `redis://:${SECRET}@127.0.0.1:${fixture.port}`,
      },
      { checkTimeoutMs: DEFAULT_CHECK_TIMEOUT_MS }, // the app's own limit, not the tests' patient one
    );
    const started = performance.now();
    const response = await app.inject("/health/ready");
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body).toMatchObject({ status: "not_ready", database: "error", cache: "error" });
    expect(body.errors.database).toMatch(/timed out/);
    expect(response.body).not.toContain(SECRET);
  });
});

describe("GET /health/ready recovers by itself", () => {
  const isStatus = (code: number) => (response: { statusCode: number }) => response.statusCode === code;

  it("goes from 503 to 200 when Redis becomes reachable", async () => {
    const realRedis = inject("redisUrl");
    const fixture = await startFixture("refuse", realRedis);
    const { app } = await buildTestApp({ REDIS_URL: replacePort(realRedis, fixture.port) });
    await pollUntil(() => app.inject("/health/ready"), isStatus(503));
    fixture.setMode("forward");
    const response = await pollUntil(() => app.inject("/health/ready"), isStatus(200));
    expect(response.json()).toEqual({ status: "ready", database: "ok", cache: "ok" });
  });

  it("goes from 503 to 200 when PostgreSQL becomes reachable, and back to 503 when it goes away", async () => {
    const realDatabase = inject("databaseUrl");
    const fixture = await startFixture("refuse", realDatabase);
    const { app } = await buildTestApp({ DATABASE_URL: replacePort(realDatabase, fixture.port) });
    await pollUntil(() => app.inject("/health/ready"), isStatus(503));
    fixture.setMode("forward");
    await pollUntil(() => app.inject("/health/ready"), isStatus(200));
    fixture.setMode("refuse");
    const response = await pollUntil(() => app.inject("/health/ready"), isStatus(503));
    expect(response.json()).toMatchObject({ database: "error", cache: "ok" });
  });
});
