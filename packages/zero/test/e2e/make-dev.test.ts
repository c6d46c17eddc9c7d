import { readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { groupAlive, waitFor } from "../helpers/cli.js";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"];

/** The real thing: `make dev` / `make down` on the project's own stack (test profile, isolated ports and data). */
describe.sequential("make dev on the real stack", () => {
  let env: Record<string, string>;
  const dev = (...args: string[]) => make("dev", ["profile=test", ...args], env);
  const down = () => make("down", ["profile=test"], env);
  const state = () => JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8"));
  const allPortsFree = async () => (await Promise.all(PORTS.map((name) => isPortFree(Number(env[name]))))).every(Boolean);

  beforeAll(async () => {
    env = await isolatedEnv(PORTS);
    env.CORS_ORIGIN = `http://127.0.0.1:${env.WEB_PORT}`;
  });

  afterAll(async () => {
    await down();
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("brings up all four services healthy and prints URLs and masked connection strings", async () => {
    const result = await dev();
    expect(result.exitCode, result.all).toBe(0);
    for (const service of ["postgres", "redis", "api", "web"]) expect(result.all).toMatch(new RegExp(`${service}\\s+healthy in \\d+ ms`));
    expect(result.all).toMatch(new RegExp(`Web\\s+http://127\\.0\\.0\\.1:${env.WEB_PORT}\\b`));
    expect(result.all).toContain(`http://127.0.0.1:${env.API_PORT}/docs`);
    expect(result.all).toContain(`api: 127.0.0.1:${env.API_DEBUG_PORT}`);
    expect(result.all).toContain(`postgres://app:****@127.0.0.1:${env.POSTGRES_PORT}/app`);
    expect(result.all).not.toContain("test-only-postgres-password");
  });

  it("serves the printed URLs: API health and readiness, API docs, the web page", async () => {
    const api = `http://127.0.0.1:${env.API_PORT}`;
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const ready = await fetch(`${api}/health/ready`);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "ok", cache: "ok" });
    // Migrated and seeded on the first start (AUTO_SEED): the default studio's artists are there.
    expect((await (await fetch(`${api}/api/v1/artists`)).json()).map((a: { name: string }) => a.name)).toContain("Mara Okafor");
    expect((await fetch(`${api}/docs`)).status).toBeLessThan(400);
    const web = await fetch(`http://127.0.0.1:${env.WEB_PORT}/`);
    expect(web.status).toBe(200);
    expect(await web.text()).toContain('<div id="root">');
  });

  // The dashboard's own checks (live status, controls, logs, safety) are in dashboard.test.ts.
  it("shows the landing page in a real browser: Ready, every service healthy", { timeout: 90_000 }, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`http://127.0.0.1:${env.WEB_PORT}/`);
      // The first page load makes Vite compile the app: beside a Docker stack starting in CI it took over 20 s once.
      await page.getByRole("heading", { name: "Zero-to-Running Environment - Ready!" }).waitFor({ timeout: 60_000 });
      for (const service of ["postgres", "redis", "api", "web"]) {
        expect(await page.getByTestId(`service-${service}-state`).textContent()).toMatch(/healthy$/);
      }
      await page.screenshot({ path: screenshotPath("landing-1280"), fullPage: true });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.screenshot({ path: screenshotPath("landing-375"), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it("accepts the test profile's credentials in PostgreSQL and Redis", async () => {
    const client = new pg.Client({ connectionString: `postgres://app:test-only-postgres-password@127.0.0.1:${env.POSTGRES_PORT}/app` }); // secretlint-disable-line -- the test profile's fixed, non-secret password
    await client.connect();
    expect((await client.query("select 1 as one")).rows[0].one).toBe(1);
    await client.end();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(env.REDIS_PORT), "127.0.0.1", () => socket.write("AUTH test-only-redis-password\r\nPING\r\n"));
      let text = "";
      socket.on("data", (data) => {
        text += data.toString();
        if (text.includes("PONG")) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.once("error", reject);
    });
    expect(answer).toBe("+OK\r\n+PONG\r\n");
  });

  it("is a no-op the second time", async () => {
    const before = state().services.api.pid;
    const result = await dev();
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("Already running and healthy");
    expect(state().services.api.pid).toBe(before);
  });

  it("restarts the API after kill -9 and it is healthy again", async () => {
    const { pid } = state().services.api;
    process.kill(pid, "SIGKILL");
    await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${env.API_PORT}/health/ready`).catch(() => undefined);
      return response?.status === 200 && state().services.api.pid !== pid && state().services.api.restarts >= 1;
    }, 30_000, "api restarted and ready");
  });

  it("make down stops every process group and frees every port", async () => {
    const groups = Object.values(state().services).map((s) => (s as { pgid: number }).pgid);
    const result = await down();
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/Stopped web, api, /);
    expect(groups.filter(groupAlive)).toEqual([]);
    expect(await allPortsFree()).toBe(true);
  });

  it("make down cleans up after the supervisor was killed with SIGKILL", async () => {
    expect((await dev()).exitCode).toBe(0);
    const recorded = state();
    process.kill(recorded.supervisor.pid, "SIGKILL");
    const result = await down();
    expect(result.exitCode, result.all).toBe(0);
    const groups = Object.values(recorded.services).map((s) => (s as { pgid: number }).pgid);
    expect(groups.filter(groupAlive)).toEqual([]);
    expect(await allPortsFree()).toBe(true);
  });

  it("profile=minimal runs only postgres and the API (without a cache)", async () => {
    const minimal = { ...env, POSTGRES_PASSWORD: "minimal-profile-pw", REDIS_PASSWORD: "unused-redis-pw", ZERO_HOME: join(env.ZERO_HOME!, "minimal") };
    const result = await make("dev", ["profile=minimal"], minimal);
    try {
      expect(result.exitCode, result.all).toBe(0);
      expect(result.all).toContain("postgres, api");
      expect(result.all).not.toMatch(/redis\s+(starting|healthy)/);
      expect(await isPortFree(Number(env.REDIS_PORT))).toBe(true);
      expect(await isPortFree(Number(env.WEB_PORT))).toBe(true);
      const ready = await (await fetch(`http://127.0.0.1:${env.API_PORT}/health/ready`)).json();
      expect(ready).toMatchObject({ status: "ready", database: "ok", cache: "disabled" });
    } finally {
      await make("down", ["profile=minimal"], minimal);
    }
  });
});
