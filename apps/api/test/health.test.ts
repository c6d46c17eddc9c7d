import { describe, expect, it } from "vitest";
import { buildTestApp } from "./support/build-test-app.js";

describe("GET /health", () => {
  it("answers ok with the current time, without touching dependencies", async () => {
    const { app } = await buildTestApp({ DATABASE_URL: "postgres://app:pw@127.0.0.1:1/app" });
    const response = await app.inject("/health");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe("ok");
    expect(Date.now() - Date.parse(body.timestamp)).toBeLessThan(5_000);
  });
});

describe("GET /health/ready with real dependencies", () => {
  it("is ready when PostgreSQL and Redis answer", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject("/health/ready");
    expect(response.json()).toEqual({ status: "ready", database: "ok", cache: "ok" });
    expect(response.statusCode).toBe(200);
  });

  it('reports the cache as "disabled" when REDIS_URL is unset', async () => {
    const { app } = await buildTestApp({ REDIS_URL: undefined });
    const response = await app.inject("/health/ready");
    expect(response.json()).toEqual({ status: "ready", database: "ok", cache: "disabled" });
    expect(response.statusCode).toBe(200);
  });
});

describe("CORS for the dashboard", () => {
  it("allows the default dashboard origins", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ url: "/health", headers: { origin: "http://localhost:3000" } });
    expect(response.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
  });

  it("allows CORS_ORIGIN and nothing else when it is set", async () => {
    const { app } = await buildTestApp({ CORS_ORIGIN: "http://127.0.0.1:43000" });
    const allowed = await app.inject({ url: "/health/ready", headers: { origin: "http://127.0.0.1:43000" } });
    expect(allowed.headers["access-control-allow-origin"]).toBe("http://127.0.0.1:43000");
    const other = await app.inject({ url: "/health", headers: { origin: "http://localhost:3000" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("answers the browser's preflight", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: "OPTIONS",
      url: "/health/ready",
      headers: { origin: "http://127.0.0.1:3000", "access-control-request-method": "GET" },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers["access-control-allow-methods"]).toContain("GET");
  });
});
