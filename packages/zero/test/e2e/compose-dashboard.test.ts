import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupAlive, waitFor } from "../helpers/cli.js";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { dockerAnswers } from "../helpers/docker.js";

const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"];
const PROJECT = "zero-e2e-compose-dash";
const SERVICES = ["postgres", "redis", "api", "web"];

if (!dockerAnswers && process.env.CI) {
  describe("the dashboard under compose", () => {
    it("needs a running Docker engine in CI", () => {
      expect.fail("docker info failed: .ci/run should have installed and started Docker");
    });
  });
}

/** The container of one service, as Docker itself reports it (the truth the page is checked against). */
function inspect(service: string): { id: string; startedAt: string; pid: number } {
  const id = execFileSync(
    "docker",
    [
      "ps",
      "-aq",
      "--filter",
      `label=com.docker.compose.project=${PROJECT}`,
      "--filter",
      `label=com.docker.compose.service=${service}`,
    ],
    { encoding: "utf8" },
  ).trim();
  const [startedAt, pid] = execFileSync("docker", ["inspect", "--format", "{{.State.StartedAt}} {{.State.Pid}}", id], {
    encoding: "utf8",
  })
    .trim()
    .split(" ");
  return { id, startedAt: startedAt!, pid: Number(pid) };
}

function containerState(service: string): string {
  return execFileSync("docker", ["inspect", "--format", "{{.State.Status}}", inspect(service).id], {
    encoding: "utf8",
  }).trim();
}

/** GET with a chosen Host header (fetch() may not set Host). */
function statusWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.once("error", reject);
    call.end();
  });
}

/** The TCP ports a process listens on: its socket inodes (/proc/<pid>/fd) among the LISTEN rows of /proc/net/tcp*. */
function tcpListeners(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSafe(`/proc/${pid}/fd/${fd}`));
      return match ? [match[1]!] : [];
    }),
  );
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((table) =>
    readFileSync(table, "utf8")
      .split("\n")
      .slice(1)
      .map((row) => row.trim().split(/\s+/))
      .filter((columns) => columns[3] === "0A" && inodes.has(columns[9]!))
      .map((columns) => columns[1]!),
  );
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

interface ServiceView {
  name: string;
  state: string;
  health: string;
  uptimeSeconds: number | null;
  cpuPercent: number | null;
  memoryBytes: number | null;
  restarts: number | null;
}

/**
 * Under Docker Compose the page and /api/v1/environment show Docker's view (state, health, uptime, CPU, memory,
 * restarts) through the compose control server, and the page's Restart works: real Docker, real Chromium.
 */
describe.runIf(dockerAnswers).sequential("the dashboard under compose", () => {
  let env: Record<string, string>;
  let browser: Browser;
  let page: Page;
  const web = () => `http://127.0.0.1:${env.WEB_PORT}`;
  const controlServer = () =>
    JSON.parse(readFileSync(join(env.ZERO_HOME!, "control", "server.json"), "utf8")) as { pid: number };
  const environment = async () =>
    (await (await fetch(`http://127.0.0.1:${env.API_PORT}/api/v1/environment`)).json()) as {
      supervisor: { state: string };
      services: ServiceView[];
    };
  const row = (service: string) => page.getByTestId(`service-${service}`);

  beforeAll(async () => {
    env = await isolatedEnv(PORTS, {
      COMPOSE_PROJECT_NAME: PROJECT,
      POSTGRES_PASSWORD: "e2e-compose-dash-pg-password",
      REDIS_PASSWORD: "e2e-compose-dash-redis-password",
    });
    env.CORS_ORIGIN = `http://127.0.0.1:${env.WEB_PORT}`;
    const result = await make("dev", ["runtime=compose"], env);
    expect(result.exitCode, result.all).toBe(0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 400_000); // the first run on a machine builds the images

  afterAll(async () => {
    await browser?.close();
    await make("down", ["runtime=compose", "volumes=1"], env);
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  }, 120_000);

  it("/api/v1/environment shows every container's state, health, uptime, CPU, memory and restarts from Docker", async () => {
    // CPU and memory come from `docker stats`, sampled once someone asks: the first answer may lack them. Health is
    // Docker's own healthcheck, which may still say "starting" (unknown) just after make dev's checks from the host.
    let view = await environment();
    await waitFor(
      async () => {
        await sleep(500);
        view = await environment();
        return view.services.every((s) => s.cpuPercent !== null && s.memoryBytes !== null && s.health === "healthy");
      },
      30_000,
      "CPU, memory and Docker's health in /api/v1/environment",
    );
    expect(view.supervisor.state).toBe("connected");
    expect(view.services.map((s) => s.name).sort()).toEqual([...SERVICES].sort());
    for (const service of view.services) {
      expect(service, service.name).toMatchObject({ state: "running", health: "healthy", restarts: 0 });
      const started = Date.parse(inspect(service.name).startedAt);
      expect(
        Math.abs(service.uptimeSeconds! - (Date.now() - started) / 1000),
        `${service.name}'s uptime is Docker's`,
      ).toBeLessThan(5);
      expect(service.memoryBytes!, service.name).toBeGreaterThan(1024 * 1024);
      expect(service.cpuPercent!, service.name).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it("the page shows every service from Docker: healthy, with uptime, restarts, CPU and memory", async () => {
    await page.goto(`${web()}/`);
    for (const service of SERVICES) {
      await page
        .getByTestId(`service-${service}-state`)
        .filter({ hasText: /^\W*healthy$/ })
        .waitFor({ timeout: 30_000 });
      // CPU "1.5 %" and memory "52.3 MB" once docker stats has sampled; uptime like "42s" or "2m 5s".
      await row(service)
        .filter({ hasText: /\d+\.\d %/ })
        .filter({ hasText: /\d+\.\d (KB|MB|GB)/ })
        .waitFor({ timeout: 30_000 });
      await expect(row(service).locator("td").nth(1).textContent()).resolves.toMatch(/^\d+s$|^\d+m \d+s$/);
      await expect(page.getByTestId(`service-${service}-restarts`).textContent()).resolves.toBe("0");
    }
    await expect(page.getByText(/no control API/i).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath("dashboard-compose"), fullPage: true });
  }, 90_000);

  it("Restart on the page restarts the container (a new start time and process in Docker) and it comes back healthy", async () => {
    const before = inspect("redis");
    await row("redis").getByTestId("restart-redis").click();
    const restarted = async () => {
      await sleep(200);
      return inspect("redis").startedAt !== before.startedAt;
    };
    await waitFor(restarted, 30_000, "docker to restart redis");
    const after = inspect("redis");
    expect(after.id).toBe(before.id); // the same container, restarted (not recreated)
    expect(after.pid).not.toBe(before.pid);
    await page
      .getByTestId("service-redis-state")
      .filter({ hasText: /^\W*healthy$/ })
      .waitFor({ timeout: 30_000 });
    // The uptime starts again from Docker's new start time.
    await waitFor(
      async () => /^\d+s$/.test((await row("redis").locator("td").nth(1).textContent()) ?? ""),
      10_000,
      "redis's uptime to restart",
    );
  }, 90_000);

  it("Stop on the page stops the container (shown stopped, not failed); Start brings it back healthy", async () => {
    await row("redis").getByTestId("stop-redis").click();
    await page
      .getByTestId("service-redis-state")
      .filter({ hasText: /^\W*stopped$/ })
      .waitFor({ timeout: 30_000 });
    expect(containerState("redis")).toBe("exited");
    await row("redis").getByTestId("start-redis").click();
    await page
      .getByTestId("service-redis-state")
      .filter({ hasText: /^\W*healthy$/ })
      .waitFor({ timeout: 30_000 });
    expect(containerState("redis")).toBe("running");
  }, 90_000);

  it("the control path under compose keeps its guards: a foreign Host and a request without the page's token are refused", async () => {
    const port = Number(env.WEB_PORT);
    expect(await statusWithHost(port, "/__zero/v1/status", `evil.example:${port}`)).toBe(403);
    expect((await fetch(`${web()}/__zero/v1/status`)).status).toBe(401);
    // The control server listens on no TCP port at all: only on its socket, in a folder only this user can enter.
    const socketDir = join(env.ZERO_HOME!, "control");
    expect(tcpListeners(controlServer().pid)).toEqual([]);
    expect(statSync(socketDir).mode & 0o777).toBe(0o700);
  });

  // Part of the security suite (docs/security.md): a container attached to the project's network, as any other
  // image on it could be, asks the web dev server (web:3000) for secret files and the control path for `down`.
  describe("threat: a container on the compose stack's network", () => {
    /** What one request from a fresh container on the stack's network gets: node's http, Host chosen by the caller. */
    const fromNetwork = (requests: { path: string; host: string; method?: string; token?: string }[]) => {
      const web = inspect("web").id;
      const image = execFileSync("docker", ["inspect", "--format", "{{.Config.Image}}", web], { encoding: "utf8" });
      const network = execFileSync(
        "docker",
        ["inspect", "--format", "{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}", web],
        { encoding: "utf8" },
      );
      const script = `const http = require("node:http");
        const ask = (r) => new Promise((done) => { const call = http.request({ host: "web", port: 3000, path: r.path,
          method: r.method || "GET", headers: { host: r.host, ...(r.token ? { "x-zero-token": r.token } : {}) } },
          (res) => { let body = ""; res.on("data", (c) => (body += c)); res.on("end", () => done({ status: res.statusCode, body })); });
          call.on("error", (e) => done({ status: 0, body: String(e) })); call.end(); });
        Promise.all(JSON.parse(process.argv[1]).map(ask)).then((answers) => console.log(JSON.stringify(answers)));`;
      const out = execFileSync(
        "docker",
        [
          "run",
          "--rm",
          "--network",
          network.trim(),
          "--entrypoint",
          "node",
          image.trim(),
          "-e",
          script,
          JSON.stringify(requests),
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      return JSON.parse(out) as { status: number; body: string }[];
    };
    const workdir = () =>
      execFileSync("docker", ["inspect", "--format", "{{.Config.WorkingDir}}", inspect("web").id], {
        encoding: "utf8",
      }).trim();

    it("promise: the web dev server hands it no secret file (the control token's mount, .env, .zero), by any path form, whatever Host it sends", () => {
      const actToken = readFileSync(join(env.ZERO_HOME!, "control", "tokens", "act", "token"), "utf8").trim();
      const app = workdir();
      const targets = [
        "/run/zero-token/token",
        "/run/zero/control.sock",
        `${app}/../../.env`,
        `${app}/../../.zero/state.json`,
      ];
      const paths = targets.flatMap((file) => [
        `/@fs${file}`,
        `/@fs${file}?raw`,
        `/@fs${file}?import&raw`,
        `/@fs${file.replace(/\./g, "%2e")}`,
        `/@id${file}?raw`,
      ]);
      const hosts = ["web:3000", "127.0.0.1:3000", "localhost"];
      const requests = hosts.flatMap((host) => paths.map((path) => ({ path, host })));
      const answers = fromNetwork([...requests, { path: "/src/main.tsx", host: "127.0.0.1:3000" }]);
      // Vite answers a path it will not serve as a file with the app's own page (its SPA fallback), or 403/404.
      const served = answers
        .slice(0, -1)
        .flatMap((answer, index) =>
          answer.body.includes(actToken) || (answer.status === 200 && !answer.body.includes('<div id="root">'))
            ? [`${answer.status} ${requests[index]!.host} ${requests[index]!.path}`]
            : [],
        );
      expect(served).toEqual([]);
      expect(answers.every((answer) => answer.status !== 0)).toBe(true); // every request reached the server
      expect(answers.at(-1)!.status, "the app itself is served to the network").toBe(200);
    }, 90_000);

    it("promise: through the web dev server's control path it cannot stop the stack, even with the page's own token", () => {
      const [page] = fromNetwork([{ path: "/", host: "127.0.0.1:3000" }]);
      const pageToken = /name="zero-control-token" content="([^"]*)"/.exec(page!.body)?.[1];
      const downs = fromNetwork([
        { path: "/__zero/v1/down", host: "web:3000", method: "POST" },
        { path: "/__zero/v1/down", host: "127.0.0.1:3000", method: "POST" },
        { path: "/__zero/v1/down", host: "127.0.0.1:3000", method: "POST", token: pageToken ?? "" },
      ]);
      expect(
        pageToken,
        "the page a container fetches carries its token (an accepted risk: it acts, never stops)",
      ).toBeTruthy();
      for (const answer of downs) expect(answer.status, answer.body).toBeGreaterThanOrEqual(400);
      for (const answer of downs) expect(answer.status, answer.body).toBeLessThan(500);
      for (const service of SERVICES) expect(containerState(service), service).toBe("running");
    }, 90_000);
  });

  it("make down stops the control server and removes its socket: nothing left behind", async () => {
    const { pid } = controlServer();
    const down = await make("down", ["runtime=compose"], env);
    expect(down.exitCode, down.all).toBe(0);
    // Its own group, nothing alive in it. An exited process may stay a zombie until init reaps it (seconds on this
    // machine's init, at once on a desktop's): it holds no port, file or memory, so it is not "left behind".
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(join(env.ZERO_HOME!, "control"))).toBe(false);
  }, 120_000);
});
