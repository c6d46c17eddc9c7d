import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { repoRoot } from "./cli.js";

/**
 * Debian's Chromium, headless, without the background traffic this closed network refuses. Never a downloaded browser.
 * Each page it opens reloads itself after a network change (reloadOnNetworkChange).
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...options: Parameters<Browser["newPage"]>) => {
    const page = await newPage(...options);
    reloadOnNetworkChange(page);
    return page;
  };
  return browser;
}

/**
 * Chromium fails every request in flight with ERR_NETWORK_CHANGED when a network interface comes or goes, as Docker's
 * do when a stack in containers starts or stops beside a browser test (CI runs such files at the same time): a page
 * whose modules were cut off that way stays blank for good (seen in traces.test.ts beside traces-compose.test.ts).
 * The page then reloads itself, a few times at most, as a person would; a real failure fails as before.
 */
function reloadOnNetworkChange(page: Page): void {
  let reloads = 0;
  let pending = false;
  page.on("requestfailed", (request) => {
    if (request.failure()?.errorText !== "net::ERR_NETWORK_CHANGED" || pending || reloads >= 3) return;
    if (!["document", "script", "stylesheet"].includes(request.resourceType())) return;
    pending = true;
    reloads++;
    // After the burst of failures one change makes, not once per request.
    setTimeout(() => {
      page
        .reload()
        .catch(() => {})
        .finally(() => {
          pending = false;
        });
    }, 200);
  });
}

/** Where screenshots go (kept by CI as artifacts; git-ignored). */
export function screenshotPath(name: string): string {
  const dir = join(repoRoot, "test-results");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
