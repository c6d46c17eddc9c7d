import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { groupAlive, repoRoot, runZero, waitFor } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const cwd = new URL("../fixtures/graph/", import.meta.url).pathname;

/**
 * The dashboard's dependency graph in Chromium, on a real stack caught while it starts: `gate` stays unhealthy
 * until the test creates its file, so `app` (gate: healthy) and through it `worker` (app: started) wait. The
 * dashboard's dev server is started beside the stack with the supervisor's control address, as zero gives it.
 */
describe.sequential("the dependency graph in a real browser", () => {
  let env: Record<string, string>;
  let up: ReturnType<typeof runZero>;
  let vite: ChildProcess | undefined;
  let browser: Browser;
  let page: Page;
  const node = (name: string) => page.getByTestId(`graph-node-${name}`);

  beforeAll(async () => {
    env = await isolatedEnv(["REDIS_PORT", "GATE_PORT", "APP_PORT", "WORKER_PORT", "WEB_PORT"], {
      REDIS_PASSWORD: "graph-redis-pw",
    });
    env.GATE_FILE = join(env.ZERO_HOME!, "gate-open");
    up = runZero(["up"], { cwd, env });
    const stateFile = join(env.ZERO_HOME!, "state.json");
    const { supervisor } = await waitFor(
      () => existsSync(stateFile) && JSON.parse(readFileSync(stateFile, "utf8")),
      30_000,
      "the supervisor's state file",
    );
    vite = spawn(
      join(repoRoot, "node_modules", ".bin", "vite"),
      ["--host", "127.0.0.1", "--port", env.WEB_PORT!, "--strictPort"],
      {
        cwd: join(repoRoot, "apps", "web"),
        env: {
          ...process.env,
          ZERO_CONTROL_URL: `http://127.0.0.1:${supervisor.controlPort}`,
          ZERO_CONTROL_TOKEN: supervisor.token,
        },
        detached: true,
        stdio: "ignore",
      },
    );
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${env.WEB_PORT}/`)).ok,
      60_000,
      "the dashboard's dev server",
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${env.WEB_PORT}/`);
  });

  afterAll(async () => {
    await browser?.close();
    if (vite?.pid && groupAlive(vite.pid)) process.kill(-vite.pid, "SIGTERM");
    writeFileSync(env.GATE_FILE!, ""); // a `zero up` still waiting finishes, then everything stops
    await up;
    await runZero(["down"], { cwd, env });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("shows each service's live state and highlights the one being waited on, and why", async () => {
    await page.locator("[data-testid=graph-node-gate][data-waited=true]").waitFor({ timeout: 30_000 });
    expect(await node("gate").textContent()).toContain("waited on by app");
    expect(await node("redis").getAttribute("data-waited")).toBe("false");
    expect(await node("app").getAttribute("data-state")).toBe("pending");
    expect(await node("app").getAttribute("data-waited")).toBe("true"); // worker waits for app to start
    const waiting = page.getByTestId("graph-edge-app-gate");
    expect(await waiting.getAttribute("data-condition")).toBe("healthy");
    expect(await waiting.getAttribute("data-waiting")).toBe("true");
    expect(await page.getByTestId("graph-edge-app-redis").getAttribute("data-condition")).toBe("started");
    expect(await page.getByTestId("graph-edge-app-redis").getAttribute("data-waiting")).toBe("false");
    // A screen reader hears the whole node: its state, what it depends on, who waits for it.
    await page.getByRole("button", { name: /^gate: running\. app waits for it\. Show its logs\.$/ }).waitFor();
    await page
      .getByRole("button", {
        name: /^app: pending\. Depends on gate \(healthy\), redis \(started\)\. worker waits for it\./,
      })
      .waitFor();
    await page.getByTestId("dependency-graph").screenshot({ path: screenshotPath("dashboard-graph-starting") });
  });

  it("turns healthy when the wait is over", async () => {
    writeFileSync(env.GATE_FILE!, "");
    expect((await up).exitCode).toBe(0);
    for (const name of ["redis", "gate", "app", "worker"]) {
      await page.locator(`[data-testid=graph-node-${name}][data-state=healthy]`).waitFor({ timeout: 20_000 });
      expect(await node(name).getAttribute("data-waited")).toBe("false");
    }
    expect(await page.locator("[data-waiting=true]").count()).toBe(0);
  });

  it("shows a node's logs on a click, and from the keyboard", async () => {
    await node("worker").click();
    expect(await page.getByTestId("log-service").inputValue()).toBe("worker");
    await page.getByTestId("log-lines").getByText("worker listening on").waitFor({ timeout: 10_000 });
    await node("gate").focus();
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("log-service").inputValue()).toBe("gate");
    await page.getByTestId("log-lines").getByText("gate listening on").waitFor({ timeout: 10_000 });
    await page.getByTestId("dependency-graph").screenshot({ path: screenshotPath("dashboard-graph") });
  });
});
