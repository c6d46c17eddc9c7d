import { describe, expect, it } from "vitest";
import { buildTestApp } from "./support/build-test-app.js";

describe("request logging", () => {
  it("writes one JSON line per request with method, url, statusCode, responseTime and the caller's request id", async () => {
    const { app, logs } = await buildTestApp();
    const response = await app.inject({ url: "/openapi.json?probe=1", headers: { "x-request-id": "trace-42" } });
    expect(response.headers["x-request-id"]).toBe("trace-42");
    const lines = logs.entries().filter((entry) => entry.reqId === "trace-42");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      service: "api",
      msg: "request completed",
      method: "GET",
      url: "/openapi.json?probe=1",
      statusCode: 200,
      responseTime: expect.any(Number),
    });
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time);
  });

  it("gives a request without a usable x-request-id a fresh id", async () => {
    const { app, logs } = await buildTestApp();
    const response = await app.inject({ url: "/openapi.json", headers: { "x-request-id": "bad id\nwith newline" } });
    const id = response.headers["x-request-id"];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.entries().some((entry) => entry.reqId === id && entry.statusCode === 200)).toBe(true);
  });

  it("logs health checks and metrics scrapes that succeed at DEBUG only, so polling does not flood the log", async () => {
    const quiet = await buildTestApp();
    for (const url of ["/health", "/health?from=docker", "/metrics"]) expect((await quiet.app.inject(url)).statusCode).toBe(200);
    expect(quiet.logs.entries().filter((entry) => entry.msg === "request completed")).toEqual([]);

    const verbose = await buildTestApp({ LOG_LEVEL: "DEBUG" });
    await verbose.app.inject("/health");
    expect(verbose.logs.entries()).toContainEqual(expect.objectContaining({ level: "debug", msg: "request completed", url: "/health" }));
  });

  it("still logs a health path that fails, and paths that only start like one, at INFO", async () => {
    const { app, logs } = await buildTestApp();
    app.get("/healthcare", async () => ({ ok: true }));
    expect((await app.inject("/health/nowhere")).statusCode).toBe(404);
    expect((await app.inject("/healthcare")).statusCode).toBe(200);
    const urls = logs.entries().filter((entry) => entry.msg === "request completed" && entry.level === "info").map((entry) => entry.url);
    expect(urls).toEqual(["/health/nowhere", "/healthcare"]);
  });

  it("never writes an authorization header", async () => {
    const { app, logs } = await buildTestApp({ LOG_LEVEL: "DEBUG" });
    await app.inject({ url: "/health/ready", headers: { authorization: "Bearer top-secret-token" } });
    await app.inject({ url: "/nowhere", headers: { authorization: "Bearer top-secret-token" } });
    expect(logs.entries().length).toBeGreaterThan(2);
    expect(logs.text()).not.toContain("top-secret-token");
  });
});

describe("error responses", () => {
  it("hides the details of a 5xx from the client but logs them", async () => {
    const { app, logs } = await buildTestApp();
    app.get("/explode", async () => {
      throw new Error("relation users does not exist at db.internal:5432");
    });
    const response = await app.inject("/explode");
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("db.internal");
    expect(response.json()).toMatchObject({ statusCode: 500, error: "Internal Server Error", requestId: expect.any(String) });
    expect(logs.text()).toContain("db.internal");
  });

  it("keeps the message of a 4xx, which tells the caller what to fix", async () => {
    const { app } = await buildTestApp();
    const response = await app.inject("/nowhere");
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toContain("/nowhere");
  });
});
