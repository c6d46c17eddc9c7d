import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { freePort, repoRoot } from "../helpers/cli.js";

const WEB = join(repoRoot, "apps/web");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/**
 * The web app's development console log (API calls and renders, VITE_LOG_LEVEL) leaves nothing in a production
 * build: not in the bundle, not in the console of a browser running it. The development side is checked in
 * dashboard-controls.test.ts.
 */
describe("the dashboard's production build", () => {
  let out: string;
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "zero-web-build-"));
    const vite = join(dirname(createRequire(join(WEB, "package.json")).resolve("vite/package.json")), "bin/vite.js");
    // The most talkative level: a build that kept any of the development log would show it.
    execFileSync(process.execPath, [vite, "build", "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], {
      cwd: WEB,
      // Without vitest's NODE_ENV=test, as `npm run build` runs (with it, Vite builds for development).
      env: { ...process.env, NODE_ENV: undefined, VITE_LOG_LEVEL: "debug" },
      stdio: "pipe",
    });
    server = createServer((request, response) => {
      const path = normalize(new URL(request.url ?? "/", "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
      try {
        const body = readFileSync(join(out, path === "/" ? "index.html" : path));
        response.writeHead(200, { "content-type": TYPES[extname(path) || ".html"] ?? "application/octet-stream" });
        response.end(body);
      } catch {
        response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      }
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("carries none of the development log", () => {
    const bundle = readdirSync(join(out, "assets"))
      .filter((name) => name.endsWith(".js"))
      .map((name) => readFileSync(join(out, "assets", name), "utf8"))
      .join("\n");
    expect(bundle).toContain("Zero-to-Running"); // the app is in it
    for (const text of ["[web]", "render App", "render ServiceTable", " → ", "VITE_LOG_LEVEL"])
      expect(bundle, text).not.toContain(text);
  });

  it("writes nothing of it to the console while the page runs and calls the control path", async () => {
    const page = await browser.newPage();
    const lines: string[] = [];
    page.on("console", (message) => lines.push(message.text()));
    const calls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/__zero/")) calls.push(request.url());
    });
    try {
      await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      await page.getByTestId("headline").waitFor({ timeout: 10_000 });
      // The page keeps calling the control path (no supervisor here: it retries), each a call a development
      // build would log.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(calls.length).toBeGreaterThan(1);
      expect(lines.filter((line) => line.startsWith("[web]"))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
