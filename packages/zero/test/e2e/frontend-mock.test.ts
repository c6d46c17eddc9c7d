import { spawn } from "node:child_process";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { freePort, groupAlive, repoRoot, waitFor } from "../helpers/cli.js";

/**
 * make start-frontend mock=1: the dashboard alone, Mock Service Worker answering for the API, in real Chromium.
 * VITE_API_URL points at a port nothing listens on, so anything the dashboard shows came from the mocks.
 */
describe("frontend-only mode (Mock Service Worker)", () => {
  let browser: Browser | undefined;
  let vite: ReturnType<typeof spawn> | undefined;

  afterAll(async () => {
    await browser?.close();
    if (vite?.pid && groupAlive(vite.pid)) process.kill(-vite.pid, "SIGTERM");
  });

  it("shows the dashboard with mocked services, status and logs, with no supervisor or API running", async () => {
    const [port, nothing] = [await freePort(), await freePort()];
    vite = spawn("make", ["--no-print-directory", "start-frontend", "mock=1", `port=${port}`], {
      cwd: repoRoot,
      env: { ...process.env, VITE_API_URL: `http://127.0.0.1:${nothing}` },
      detached: true,
      stdio: "ignore",
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, 60_000, "vite");

    browser = await launchChromium();
    const page = await browser.newPage();
    // A request the mocks did not answer would go to the closed port and fail with "connection refused"; React's
    // StrictMode aborting its first effect's fetch in development (net::ERR_ABORTED) is not that.
    const unanswered: string[] = [];
    page.on("requestfailed", (request) => {
      if (request.failure()?.errorText !== "net::ERR_ABORTED")
        unanswered.push(`${request.url()} ${request.failure()?.errorText}`);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByTestId("headline").filter({ hasText: "Ready!" }).waitFor({ timeout: 30_000 });
    for (const name of ["postgres", "redis", "api", "web"]) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 10_000 });
    }
    await page.getByText("Mara Okafor", { exact: false }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: screenshotPath("frontend-mock"), fullPage: true });
    expect(await page.getByTestId("summary").textContent()).toMatch(/Live: every change shows as it happens/);
    expect(unanswered).toEqual([]);
  }, 120_000);
});
