import { isAscii } from "node:buffer";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, connect, createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { type ApiProcess, groupProcesses, listeningAddress, startApiProcess } from "./support/api-process.js";
import { serverEnv } from "./support/server-env.js";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("the real server process", () => {
  it("serves HTTP and exits 0 soon after SIGTERM", async () => {
    const server = startApiProcess(API_DIR, ["--import", "tsx", "src/server.ts"]);
    const child = server.launcher;
    const address = await listeningAddress(server);

    const response = await fetch(`${address}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });

    const sentAt = performance.now();
    child.kill("SIGTERM");
    const [code, signal] = await once(child, "exit");
    expect({ code, signal, output: code === 0 ? "" : server.output() }).toEqual({ code: 0, signal: null, output: "" });
    expect(performance.now() - sentAt).toBeLessThan(5_000);
    expect(server.output()).toContain('"msg":"shutting down"');
  });
});

describe("the dev launcher (scripts/dev.mjs) under a supervisor", () => {
  // Guarantee (docs/reliability.md): the server's death is the service's death. The launcher used to log
  // "waiting for a change" and stay up, so the supervisor saw a running API with nothing listening.
  it("exits non-zero when its server is killed, so the supervisor restarts it", { timeout: 60_000 }, async () => {
    const run = startApiProcess(API_DIR, ["scripts/dev.mjs"]);
    await listeningAddress(run);
    // The bundle, or the process hosting it.
    const server = groupProcesses(run.group).find((p) => /server(-host)?\.mjs/.test(p.args))?.pid;
    expect(server, run.output()).toBeGreaterThan(0);
    process.kill(server!, "SIGKILL");
    const [code] = await once(run.launcher, "exit");
    expect(code).not.toBe(0);
    expect(run.output()).toContain("[dev] server exited (SIGKILL); exiting so that the supervisor restarts it");
  });
});

describe("the dev launcher started early (start_early: scripts/dependency-gate.mjs)", () => {
  /** The launcher with the gate on its fd 3, as the supervisor launches it. */
  const gatedLauncher = (env: NodeJS.ProcessEnv) => startApiProcess(API_DIR, ["scripts/dev.mjs"], { env, gate: true });

  /** The server host the launcher starts at once, before its dependencies are met. */
  async function serverHost(run: ApiProcess) {
    const deadline = Date.now() + 30_000;
    for (; Date.now() < deadline; await sleep(50)) {
      const host = groupProcesses(run.group).find((p) => p.args.includes("server-host.mjs"));
      if (host) return host.pid;
    }
    throw new Error("no server host started");
  }

  /** A TCP relay to `target` (a URL) that counts the connections made through it; returns the URL to reach it by. */
  async function countingRelay(target: URL) {
    const counted = { connections: 0, url: new URL(target.href) };
    const relay = createServer((socket) => {
      counted.connections++;
      const upstream = connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      for (const end of [socket, upstream]) end.on("error", () => socket.destroy());
    });
    relay.listen(0, "127.0.0.1");
    await once(relay, "listening");
    onTestFinished(() => void relay.close());
    counted.url.port = String((relay.address() as AddressInfo).port);
    return counted;
  }

  // Guarantee (docs/reliability.md, the start_early row): the API never connects to its dependencies before the supervisor says
  // they are healthy. PostgreSQL and Redis are reached through counting relays here, so a connection made too soon is seen.
  it("loads its server host at once, connects only after the line on its fd, then serves", {
    timeout: 60_000,
  }, async () => {
    const env = serverEnv();
    const database = await countingRelay(new URL(env.DATABASE_URL!));
    const cache = await countingRelay(new URL(env.REDIS_URL!));
    // With its migrations the server checks the schema as it starts, before it listens (as under stack.yaml).
    const run = gatedLauncher({
      ...env,
      DATABASE_URL: database.url.href,
      REDIS_URL: cache.url.href,
      MIGRATIONS_DIR: "../../infrastructure/database/migrations",
    });

    const host = await serverHost(run);
    expect(readFileSync(`/proc/${host}/environ`, "utf8")).not.toContain("ZERO_DEPENDENCIES_FD");
    // A window, not a timing: whatever the host does meanwhile, it must not reach the database or the cache.
    await sleep(1_500);
    expect({ database: database.connections, cache: cache.connections, output: run.output() }).toEqual({
      database: 0,
      cache: 0,
      output: "",
    });

    run.gate!.end("ready\n");
    const address = await listeningAddress(run);
    // The schema was checked through the app's pool: its one connection is the one the first readiness check uses.
    expect(database.connections).toBe(1);
    const ready = await fetch(`${address}/health/ready`);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "ok", cache: "ok" });
    expect({ database: database.connections, cache: cache.connections }).toEqual({ database: 1, cache: 1 });
    expect(groupProcesses(run.group).map((p) => p.pid)).toContain(host); // the early host became the server
    run.launcher.kill("SIGTERM");
    expect((await once(run.launcher, "exit"))[0]).toBe(0);
  });

  it("exits, leaving no server host, when its gate ends without the line (the supervisor is gone)", {
    timeout: 60_000,
  }, async () => {
    const run = gatedLauncher(serverEnv());
    const host = await serverHost(run);
    run.gate!.end();
    const [code] = await once(run.launcher, "exit");
    expect(code, run.output()).toBe(1);
    expect(run.output()).toContain("[dev] the supervisor went away before the dependencies were met; exiting");
    const deadline = Date.now() + 10_000;
    while (existsSync(`/proc/${host}`) && Date.now() < deadline) await sleep(50);
    expect(existsSync(`/proc/${host}`)).toBe(false);
  });
});

describe("the dev launcher's vendor bundle (scripts/vendor.mjs)", () => {
  // The npm packages pre-bundled for a faster start must behave as the natively loaded ones: routes, zod
  // validation through the type provider, the OpenAPI document, Prometheus metrics.
  it("serves the same API when the server imports the bundled packages", { timeout: 120_000 }, async () => {
    expect(spawnSync(process.execPath, ["scripts/vendor.mjs"], { cwd: API_DIR, encoding: "utf8" })).toMatchObject({
      status: 0,
    });
    const run = startApiProcess(API_DIR, ["scripts/dev.mjs"]);
    const { launcher } = run;
    const address = await listeningAddress(run);
    const bundle = readFileSync(`${API_DIR}/.dev/${launcher.pid}/server.mjs`, "utf8");
    expect(bundle).toMatch(/from "\.\/\.\.\/vendor\/[0-9a-f]+\/fastify\.mjs"/);
    // ASCII only: scripts/vendor-load.mjs reads it as Latin-1.
    const vendor = bundle.match(/from "\.\/\.\.\/vendor\/([0-9a-f]+)\/fastify\.mjs"/)![1];
    expect(isAscii(readFileSync(`${API_DIR}/.dev/vendor/${vendor}/vendor.cjs`))).toBe(true);

    expect((await fetch(`${address}/health`)).status).toBe(200);
    const invalid = await fetch(`${address}/api/v1/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain("artistId");
    const openapi = (await (await fetch(`${address}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain("/api/v1/bookings");
    expect(await (await fetch(`${address}/metrics`)).text()).toContain("process_cpu_user_seconds_total");
    launcher.kill("SIGTERM");
    expect((await once(launcher, "exit"))[0]).toBe(0);
  });
});
