import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";

/** The longest line of a file: a token or a line of a key, specific enough to find it in an answer. */
const longestLine = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .reduce((longest, line) => (line.length > longest.length ? line : longest), "");

const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT", "HTTPS_PORT"];

/** Debian's Chromium with its own HOME, so its NSS database (~/.pki/nssdb) is the test's, not the machine's. */
function chromiumWithHome(home: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    env: { ...process.env, HOME: home },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * make dev https=1 for real: Caddy from Debian in front of the test stack, its local CA, curl and Chromium checking
 * the certificate chain (never ignoring errors), and make trust-ca / untrust-ca on a private NSS database.
 */
describe.sequential("local HTTPS (make dev https=1)", () => {
  let env: Record<string, string>;
  let browserHome: string;
  const ca = () => join(env.ZERO_HOME!, "https", "caddy", "pki", "authorities", "local", "root.crt");
  const app = () => `https://app.localhost:${env.HTTPS_PORT}`;
  const api = () => `https://api.localhost:${env.HTTPS_PORT}`;
  const curl = (args: string[]) => execa("curl", ["-sS", "--max-time", "10", ...args], { reject: false });
  /** The API's response headers (lower-cased) to a request from `origin`. */
  const corsHeaders = async (origin: string) =>
    (
      await curl([
        "-D",
        "-",
        "-o",
        "/dev/null",
        "--cacert",
        ca(),
        "-H",
        `Origin: ${origin}`,
        `${api()}/api/v1/environment`,
      ])
    ).stdout.toLowerCase();
  // HOME and TRUST_STORES=nss: mkcert changes only this test's NSS database, never the machine's system store.
  const trust = (target: string) =>
    make(target, ["profile=test", "https=1"], { ...env, HOME: browserHome, TRUST_STORES: "nss" });
  /** Chromium's answer for the dashboard over HTTPS: the certificate's issuer, or the error that stopped it. */
  const openInChromium = async (check?: (page: import("playwright-core").Page) => Promise<void>) => {
    const browser = await chromiumWithHome(browserHome);
    try {
      const page = await browser.newPage({ ignoreHTTPSErrors: false });
      const response = await page.goto(`${app()}/`);
      await check?.(page);
      return { issuer: (await response?.securityDetails())?.issuer };
    } catch (error) {
      return { error: (error as Error).message.split("\n")[0] };
    } finally {
      await browser.close();
    }
  };

  beforeAll(async () => {
    env = await isolatedEnv(PORTS);
    browserHome = mkdtempSync(join(tmpdir(), "zero-https-browser-"));
    mkdirSync(join(browserHome, ".pki", "nssdb"), { recursive: true });
    await execa("certutil", ["-N", "--empty-password", "-d", `sql:${join(browserHome, ".pki", "nssdb")}`]);
    const result = await make("dev", ["profile=test", "https=1"], env);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain(`Web         ${app()}`);
    expect(result.all).toContain(`API         ${api()}`);
  }, 240_000);

  afterAll(async () => {
    await make("down", ["profile=test", "https=1"], env);
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
    rmSync(browserHome, { recursive: true, force: true });
  });

  it("serves both names through Caddy with a certificate that curl validates against the stack's CA, and only against it", async () => {
    const page = await curl(["--cacert", ca(), "-w", "\n%{http_code} %{ssl_verify_result}", `${app()}/`]);
    expect(page.stdout).toContain('<div id="root">');
    expect(page.stdout.trim().split("\n").at(-1)).toBe("200 0");
    const ready = await curl(["--cacert", ca(), `${api()}/health/ready`]);
    expect(JSON.parse(ready.stdout)).toMatchObject({ status: "ready" });
    // Without the CA the same request fails verification (curl exit 60): the chain is checked, not waved through.
    const untrusted = await curl([`${api()}/health/ready`]);
    expect(untrusted.exitCode, untrusted.stderr).toBe(60);
    // The leaf names the host and is issued by the stack's CA.
    const verbose = await curl(["-v", "-o", "/dev/null", "--cacert", ca(), `${api()}/health`]);
    expect(verbose.stderr).toMatch(/subjectAltName: host "api\.localhost" matched cert's "api\.localhost"/);
    expect(verbose.stderr).toMatch(/issuer: CN=Zero-to-Running local CA - ECC Intermediate/);
  });

  it("lets the https dashboard origin through the API's CORS, and no other", async () => {
    const allowed = await corsHeaders(app());
    expect(allowed).toContain(`access-control-allow-origin: ${app()}`);
    const other = await corsHeaders("https://evil.localhost");
    expect(other).not.toContain("access-control-allow-origin");
  });

  it("listens on loopback only, and keeps the CA private (0700 folders, 0600 key) in a git-ignored folder", async () => {
    const sockets = await execa("ss", ["-Hltn", `sport = :${env.HTTPS_PORT}`]);
    const listeners = sockets.stdout.split("\n").filter(Boolean);
    expect(listeners.length).toBeGreaterThan(0);
    for (const line of listeners) expect(line).toMatch(/127\.0\.0\.1:\d+/);
    const authority = join(env.ZERO_HOME!, "https", "caddy", "pki", "authorities", "local");
    for (const folder of [join(env.ZERO_HOME!, "https"), authority]) expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(authority, "root.key")).mode & 0o777).toBe(0o600);
    // The default home .zero/ is ignored as a whole, so the CA can never be committed.
    const ignored = await execa("git", ["check-ignore", "-q", ".zero/https/caddy/pki/authorities/local/root.key"], {
      cwd: repoRoot,
      reject: false,
    });
    expect(ignored.exitCode).toBe(0);
  });

  // Part of the security suite (docs/security.md): the dev server's refusals (test/security/dev-server.test.ts),
  // asked through Caddy's https port as a client of the https stack would.
  describe("threat: files asked of the web dev server through Caddy (https=1)", () => {
    it("promise: no path form reaches .zero (state token, the CA key, a planted canary) or .env; the app is still served", async () => {
      const canaryDir = join(repoRoot, ".zero", `security-https-${randomBytes(4).toString("hex")}`);
      const canary = `canary-${randomBytes(12).toString("hex")}`;
      mkdirSync(canaryDir, { recursive: true });
      writeFileSync(join(canaryDir, "state.json"), JSON.stringify({ token: canary }));
      try {
        const secrets = [
          join(canaryDir, "state.json"),
          join(env.ZERO_HOME!, "state.json"),
          join(env.ZERO_HOME!, "https", "caddy", "pki", "authorities", "local", "root.key"),
          join(repoRoot, ".env"),
        ];
        /** A line of each file long enough to be its own (the token, a line of the key's base64). */
        const marks = [canary, ...secrets.slice(1).flatMap((file) => (existsSync(file) ? [longestLine(file)] : []))];
        const web = join(repoRoot, "apps/web");
        const paths = secrets.flatMap((file) => [
          `/@fs${file}`,
          `/@fs${file}?raw`,
          `/@fs${file}?import&raw`,
          `/@fs${file}?url`,
          `/@fs${file.replace(/\./g, "%2e")}`,
          `/@fs${file.replace(/\//g, "%2f")}`,
          `/@id${file}?raw`,
          ...(file.startsWith(repoRoot)
            ? [
                `/@fs${web}/../..${file.slice(repoRoot.length - 1)}?raw`,
                `/@fs${web}/%2e%2e/%2e%2e${file.slice(repoRoot.length - 1)}`,
                `/../..${file.slice(repoRoot.length - 1)}?raw`,
              ]
            : []),
        ]);
        const leaks: string[] = [];
        for (const path of paths) {
          const answer = await curl(["--cacert", ca(), "--path-as-is", "-w", "\n%{http_code}", `${app()}${path}`]);
          const status = answer.stdout.slice(answer.stdout.lastIndexOf("\n") + 1);
          // Refused: 403/404 (400 from Caddy), or the app's own page (Vite's SPA fallback for a path it will not serve).
          const refused = ["400", "403", "404"].includes(status) || answer.stdout.includes('<div id="root">');
          if (!refused || marks.some((mark) => answer.stdout.includes(mark))) leaks.push(`${status} ${path}`);
        }
        expect(leaks).toEqual([]);
        for (const path of ["/", "/src/main.tsx", "/@vite/client"]) {
          const answer = await curl(["--cacert", ca(), "-o", "/dev/null", "-w", "%{http_code}", `${app()}${path}`]);
          expect(answer.stdout, path).toBe("200");
        }
      } finally {
        rmSync(canaryDir, { recursive: true, force: true });
      }
    }, 120_000);
  });

  it("Chromium refuses the page until make trust-ca puts the CA in its NSS database, then loads it; make untrust-ca undoes it", async () => {
    const before = await openInChromium();
    expect(before.error).toContain("net::ERR_CERT_AUTHORITY_INVALID");

    const trusted = await trust("trust-ca");
    expect(trusted.exitCode, trusted.all).toBe(0);
    expect(trusted.all).toContain(`+ added to NSS database ${join(browserHome, ".pki", "nssdb")}`);
    expect(trusted.all).toContain("undo         make untrust-ca");

    const after = await openInChromium(async (page) => {
      // The dashboard works over HTTPS: its status stream through the control path shows the stack, Caddy included.
      await page
        .getByTestId("service-https-state")
        .filter({ hasText: /healthy/ })
        .waitFor({ timeout: 30_000 });
      // And an action passes the same-origin checks with the https origin: Redis restarts through the control path.
      const answer = await page.evaluate(async () => {
        const token = document.querySelector('meta[name="zero-control-token"]')?.getAttribute("content") ?? "";
        const response = await fetch("/__zero/v1/services/redis/restart", {
          method: "POST",
          headers: { "x-zero-token": token },
        });
        return { status: response.status, body: await response.text() };
      });
      expect(answer).toEqual({ status: 200, body: JSON.stringify({ restarted: "redis", joined: false }) });
    });
    expect(after).toEqual({ issuer: "Zero-to-Running local CA - ECC Intermediate" });

    const untrusted = await trust("untrust-ca");
    expect(untrusted.exitCode, untrusted.all).toBe(0);
    expect(untrusted.all).toContain(`- removed from NSS database ${join(browserHome, ".pki", "nssdb")}`);
    expect((await openInChromium()).error).toContain("net::ERR_CERT_AUTHORITY_INVALID");
  }, 120_000);
});
