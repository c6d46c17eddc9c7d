import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { waitFor } from "../helpers/cli.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"];
// A seeded artist; its availability reads PostgreSQL (tenant, artist, bookings) and Redis (cache read, then write).
const AVAILABILITY = "/api/v1/artists/30000000-0000-4000-8000-000000000005/availability?from=2026-01-01&to=2026-01-31";
const ROUTE = "GET /api/v1/artists/:id/availability";

/**
 * `make dev traces=1` end to end: the API instrumented with OpenTelemetry sends its spans to the supervisor's control
 * API, and the dashboard in Chromium shows the request as one trace (HTTP, Fastify, PostgreSQL, Redis) with the log
 * lines that carry its trace id.
 */
describe.sequential("request traces in a real browser (traces=1)", () => {
  let env: Record<string, string>;
  let browser: Browser;
  let page: Page;
  const control = async (path: string) => {
    const { controlPort, token } = JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8")).supervisor;
    const response = await fetch(`http://127.0.0.1:${controlPort}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.json();
  };

  beforeAll(async () => {
    env = await isolatedEnv(PORTS);
    const result = await make("dev", ["profile=test", "traces=1"], env);
    expect(result.exitCode, result.all).toBe(0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(`http://127.0.0.1:${env.WEB_PORT}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await make("down", ["profile=test", "traces=1"], env);
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("keeps a request that queries PostgreSQL and Redis as one trace, and its log lines carry the trace id", async () => {
    const response = await fetch(`http://127.0.0.1:${env.API_PORT}${AVAILABILITY}`);
    expect(response.status).toBe(200);
    const { traces } = await waitFor(
      async () => {
        const list = await control("/v1/traces?order=recent");
        return list.traces.some((trace: { name: string }) => trace.name === ROUTE) && list;
      },
      20_000,
      "the request's trace at the control API",
    );
    const listed = traces.find((trace: { name: string }) => trace.name === ROUTE);
    expect(listed).toMatchObject({ service: "api", httpStatus: 200, error: false });
    // Health checks are not traced, nor the migrations of the API's start (no request around them).
    expect(traces.every((trace: { name: string }) => !trace.name.includes("/health"))).toBe(true);
    const trace = await waitFor(
      async () => {
        const detail = await control(`/v1/traces/${listed.traceId}`);
        return detail.logs.length > 0 && detail;
      },
      10_000,
      "the request's log line",
    );
    const names = trace.spans.map((span: { name: string }) => span.name);
    expect(names[0]).toBe(ROUTE);
    expect(names.filter((name: string) => name.startsWith("pg.query")).length).toBeGreaterThanOrEqual(2);
    expect(names).toContain("hget");
    expect(trace.spans.every((span: { service: string }) => span.service === "api")).toBe(true);
    expect(JSON.parse(trace.logs[0].line)).toMatchObject({ traceId: listed.traceId });
  });

  it("shows the trace list and one trace as a waterfall with its spans and its log lines", async () => {
    const row = page.locator(`[data-testid=trace-row]`).filter({ hasText: ROUTE }).first();
    await row.waitFor({ timeout: 20_000 });
    const traceId = await row.getAttribute("data-trace-id");
    await row.getByRole("button").click();
    const view = page.locator(`[data-testid=trace-view][data-trace-id="${traceId}"]`);
    await view.waitFor({ timeout: 10_000 });
    const spans = view.getByTestId("trace-span");
    expect(await spans.first().getAttribute("data-name")).toBe(ROUTE);
    expect(await spans.first().getAttribute("data-kind")).toBe("server");
    expect(await view.locator("[data-testid=trace-span][data-name^='pg.query']").count()).toBeGreaterThanOrEqual(2);
    expect(await view.locator("[data-testid=trace-span][data-name=hget]").count()).toBe(1);
    const logLine = view.getByTestId("trace-log-line").first();
    expect(await logLine.textContent()).toContain(traceId);
    await page.getByTestId("traces").screenshot({ path: screenshotPath("dashboard-traces") });

    // Slowest and failed: no request failed, so the failed list says so.
    await page.getByTestId("traces-order-failed").click();
    await page.getByTestId("traces-empty").waitFor({ timeout: 10_000 });
    await page.getByTestId("traces-order-slowest").click();
    await page.locator("[data-testid=trace-row]").first().waitFor({ timeout: 10_000 });
  });
});
