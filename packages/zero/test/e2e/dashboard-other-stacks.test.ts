import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { freePort, groupAlive, repoRoot, runZero, waitFor } from "../helpers/cli.js";

const server = new URL("../fixtures/graph/server.mjs", import.meta.url).pathname;

// One node service whose Web URL is its own port: the smallest stack with a dashboard address to link to.
const STACK_YAML = `name: other-stacks-fixture
profiles:
  full: { description: one service, ephemeral: true }
services:
  app:
    kind: node
    profiles: [full]
    command: [node, server.mjs]
    ports: { http: "\${APP_PORT}" }
    env: { PORT: "\${APP_PORT}", NAME: app }
    healthcheck: { type: http, port: http, path: /ready }
    urls:
      Web: http://127.0.0.1:\${APP_PORT}
`;

/**
 * Two stacks of one user (two checkouts, each a git branch, one registry), each started with plain `zero up`; the
 * first one's dashboard in Chromium lists the second with a link to its dashboard, and its title names the first.
 */
describe.sequential("the dashboard lists the other stacks of this user", () => {
  const scratch = mkdtempSync(join(tmpdir(), "zero-other-stacks-"));
  const alpha = join(scratch, "alpha-checkout");
  const beta = join(scratch, "beta-checkout");
  const env: Record<string, string> = { ZERO_STATE_DIR: join(scratch, "state") };
  const ports: Record<string, string> = {};
  const zero = (cwd: string, ...args: string[]) => runZero(args, { cwd, env: { ...env, APP_PORT: ports[cwd]! } });
  let vite: ChildProcess | undefined;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    for (const [root, branch] of [
      [alpha, "feature-a"],
      [beta, "review-b"],
    ] as const) {
      mkdirSync(root);
      execFileSync("git", ["init", "--quiet", "-b", branch, root]);
      writeFileSync(join(root, "stack.yaml"), STACK_YAML);
      writeFileSync(join(root, "package.json"), '{ "private": true, "type": "module" }\n');
      copyFileSync(server, join(root, "server.mjs"));
      ports[root] = String(await freePort());
    }
    const started = await Promise.all([zero(alpha, "up"), zero(beta, "up")]);
    for (const result of started) expect(result.exitCode, result.all).toBe(0);

    const { supervisor } = JSON.parse(readFileSync(join(alpha, ".zero", "state.json"), "utf8"));
    const webPort = String(await freePort());
    vite = spawn(
      join(repoRoot, "node_modules", ".bin", "vite"),
      ["--host", "127.0.0.1", "--port", webPort, "--strictPort"],
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
    await waitFor(async () => (await fetch(`http://127.0.0.1:${webPort}/`)).ok, 60_000, "the dashboard's dev server");
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${webPort}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (vite?.pid && groupAlive(vite.pid)) process.kill(-vite.pid, "SIGTERM");
    await Promise.all([zero(alpha, "down"), zero(beta, "down")]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("lists the other stack with a link to its dashboard, and the title names this one", async () => {
    const other = page.getByTestId("other-stack-beta-checkout");
    await other.waitFor({ timeout: 15_000 });
    const link = other.getByRole("link", { name: "beta-checkout (review-b)" });
    expect(await link.getAttribute("href")).toBe(`http://127.0.0.1:${ports[beta]}/`);
    expect(await other.textContent()).toContain("native · full · running");
    // Only the others: this stack is not in its own list.
    expect(await page.getByTestId("other-stacks").getByRole("listitem").count()).toBe(1);
    await page.waitForFunction(() => document.title.includes("alpha-checkout (feature-a)"), undefined, {
      timeout: 15_000,
    });
    expect(await page.title()).toMatch(/^\w[\w ]* · alpha-checkout \(feature-a\) · Zero-to-Running$/);
    await page.getByTestId("other-stacks").screenshot({ path: screenshotPath("dashboard-other-stacks") });
  });

  it("drops a stack from the list once it stops", async () => {
    expect((await zero(beta, "down")).exitCode).toBe(0);
    await page.reload();
    await page.waitForFunction(() => document.title.includes("alpha-checkout"), undefined, { timeout: 15_000 });
    expect(await page.getByTestId("other-stacks").count()).toBe(0);
  });
});
