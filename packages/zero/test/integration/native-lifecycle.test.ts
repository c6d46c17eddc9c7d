import { connect } from "node:net";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execSync, spawn } from "node:child_process";
import pg from "pg";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { groupAlive, runZero, waitFor } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const cwd = new URL("../fixtures/lifecycle/", import.meta.url).pathname;
const canary = `canary${Date.now()}secret`;

/** Full native lifecycle against real PostgreSQL, Redis and Node processes. Runs in order. */
describe.sequential("native runtime lifecycle", () => {
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero(args, { cwd, env });
  const state = () => JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8"));
  const ports = () => ["POSTGRES_PORT", "REDIS_PORT", "APP_PORT"].map((name) => Number(env[name]));
  const allFree = async () => (await Promise.all(ports().map((port) => isPortFree(port)))).every(Boolean);

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT", "REDIS_PORT", "APP_PORT"], { POSTGRES_PASSWORD: canary, REDIS_PASSWORD: `${canary}r` });
  });

  afterAll(async () => {
    await zero("down");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("starts every service healthy in dependency order and prints a masked summary", async () => {
    const result = await zero("up");
    expect(result.exitCode, result.all).toBe(0);
    const out = result.all!;
    for (const service of ["postgres", "redis", "app"]) expect(out).toMatch(new RegExp(`${service}\\s+healthy in \\d+ ms`));
    expect(out.indexOf("app       starting")).toBeGreaterThan(out.indexOf("postgres  healthy"));
    expect(out).toContain(`postgres://fixture:****@127.0.0.1:${env.POSTGRES_PORT}/fixture`);
    expect(out).toContain(`redis://:****@127.0.0.1:${env.REDIS_PORT}`);
    expect(out).not.toContain(canary);
  });

  it("serves real clients with the configured passwords, and refuses wrong ones", async () => {
    const client = new pg.Client({ connectionString: `postgres://fixture:${canary}@127.0.0.1:${env.POSTGRES_PORT}/fixture` });
    await client.connect();
    expect((await client.query("select current_user as who")).rows[0].who).toBe("fixture");
    await client.query("create table if not exists kept (note text); insert into kept values ('survives restarts')");
    await client.end();
    const wrong = new pg.Client({ connectionString: `postgres://fixture:wrong@127.0.0.1:${env.POSTGRES_PORT}/fixture` }); // secretlint-disable-line -- a deliberately wrong test password
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    const redis = new Redis({ port: Number(env.REDIS_PORT), host: "127.0.0.1", password: `${canary}r`, lazyConnect: true });
    await redis.connect();
    expect(await redis.ping()).toBe("PONG");
    redis.disconnect();
    // Without the password Redis answers NOAUTH (a raw PING, as any client would send it).
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(env.REDIS_PORT), "127.0.0.1", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once("error", reject);
    });
    expect(answer).toMatch(/^-NOAUTH/);
  });

  it("is a no-op when the same stack is already up", async () => {
    const before = state().services.app.pid;
    const result = await zero("up");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("Already running and healthy");
    expect(state().services.app.pid).toBe(before);
  });

  it("reports memory and CPU per service, and shows every service's log lines with a prefix", async () => {
    const status = JSON.parse((await zero("status", "--json")).stdout);
    for (const service of status.services) {
      expect(service.memoryBytes, service.name).toBeGreaterThan(1024 * 1024);
      expect(typeof service.cpu).toBe("number");
    }
    const logs = await zero("logs", "--no-follow", "--tail", "50");
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout).toMatch(/\d\d:\d\d:\d\d\.\d{3} app\s+\| listening on/);
    expect(logs.stdout).toMatch(/postgres \| .*ready to accept connections/);
    const one = await zero("logs", "redis", "--no-follow");
    expect(one.stdout).not.toContain("app ");
  });

  it("follows logs live through the control client (zero logs -f): history, then new lines, until Ctrl-C", async () => {
    const follower = zero("logs", "app", "--follow", "--tail", "3");
    let seen = "";
    follower.stdout!.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    await waitFor(() => /app\s+\| /.test(seen), 10_000);
    const before = (seen.match(/listening on/g) ?? []).length;
    const { controlPort, token } = state().supervisor;
    await fetch(`http://127.0.0.1:${controlPort}/v1/services/app/restart`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    await waitFor(() => (seen.match(/listening on/g) ?? []).length > before, 15_000);
    expect(seen).not.toMatch(/(postgres|redis)\s+\|/);
    follower.kill("SIGINT");
    expect((await follower).exitCode).toBe(0);
  });

  it("guards the control API: loopback only, and nothing without the token", async () => {
    const { supervisor } = state();
    const url = `http://127.0.0.1:${supervisor.controlPort}/v1/status`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${supervisor.token}` } })).status).toBe(200);
    // A request that breaks the contract (packages/contracts/src/control) is refused with the reason.
    const bad = await fetch(`http://127.0.0.1:${supervisor.controlPort}/v1/logs?tail=lots`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "tail: expected a whole number from 0 to 5000" });
    const listening = execSync("ss -ltn", { encoding: "utf8" });
    expect(listening).toContain(`127.0.0.1:${supervisor.controlPort}`);
    expect(listening).not.toMatch(new RegExp(`(0\\.0\\.0\\.0|\\*|\\[::\\]):${supervisor.controlPort}\\b`));
  });

  it("streams live log lines to followers", async () => {
    const { supervisor } = state();
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${supervisor.controlPort}/v1/logs?follow=1&service=app&tail=0`, {
      headers: { authorization: `Bearer ${supervisor.token}` },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    // Restarting the app makes it print "listening on ..." again, which must arrive on the stream.
    await fetch(`http://127.0.0.1:${supervisor.controlPort}/v1/services/app/restart`, {
      method: "POST",
      headers: { authorization: `Bearer ${supervisor.token}` },
    });
    let text = "";
    while (!text.includes("listening on")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toMatch(/data: \{"ts":"[^"]+","service":"app","line":"listening on \d+"\}/);
  });

  it("reports health as of now: a service that just turned unready is unhealthy at once, and healthy again at once", async () => {
    const appHealth = async () => {
      const status = JSON.parse((await zero("status", "--json")).stdout) as { services: { name: string; health: string }[] };
      return status.services.find((service) => service.name === "app")!.health;
    };
    await fetch(`http://127.0.0.1:${env.APP_PORT}/toggle-ready`);
    expect(await appHealth()).toBe("unhealthy"); // the monitor's next round could be 2 s away
    await fetch(`http://127.0.0.1:${env.APP_PORT}/toggle-ready`);
    expect(await appHealth()).toBe("healthy");
  });

  it("answers a restart once the service passed its health check again, and records it healthy", async () => {
    const { supervisor } = state();
    const pid = state().services.app!.pid;
    const response = await fetch(`http://127.0.0.1:${supervisor.controlPort}/v1/services/app/restart`, {
      method: "POST",
      headers: { authorization: `Bearer ${supervisor.token}` },
    });
    expect(response.status, await response.clone().text()).toBe(200); // a failure says why
    // Read at once: not "unknown" until the health monitor's next round.
    const app = state().services.app!;
    expect(app.pid).not.toBe(pid);
    expect(app.health).toBe("healthy");
  });

  it("restarts a service killed with SIGKILL and it becomes healthy again", async () => {
    const { pid } = state().services.app;
    process.kill(pid, "SIGKILL");
    await waitFor(async () => {
      const status = JSON.parse((await zero("status", "--json")).stdout);
      const app = status.services.find((s: { name: string }) => s.name === "app");
      return app.restarts >= 1 && app.pid !== pid && app.health === "healthy";
    }, 20_000, "app restarted and healthy");
  });

  it("stops one service on request, keeps it stopped, and starts it again", async () => {
    const { supervisor } = state();
    const call = (path: string) =>
      fetch(`http://127.0.0.1:${supervisor.controlPort}${path}`, { method: "POST", headers: { authorization: `Bearer ${supervisor.token}` } });
    const redisPort = Number(env.REDIS_PORT);
    expect(await (await call("/v1/services/redis/stop")).json()).toEqual({ service: "redis", stopped: true, joined: false });
    expect(state().services.redis.state).toBe("stopped");
    expect(await isPortFree(redisPort)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // no restart sneaks in
    expect(state().services.redis.state).toBe("stopped");
    expect(await (await call("/v1/services/redis/start")).json()).toEqual({ service: "redis", started: true, joined: false });
    await waitFor(async () => state().services.redis.health === "healthy", 15_000, "redis healthy again");
    expect((await call("/v1/services/nope/stop")).status).toBeGreaterThanOrEqual(400);
  });

  it("stops everything on down: no process group left, no port listening, data kept", async () => {
    const groups = Object.values(state().services).map((s) => (s as { pgid: number }).pgid);
    const result = await zero("down");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/Stopped app, (postgres, redis|redis, postgres)/);
    expect(groups.filter(groupAlive)).toEqual([]);
    expect(await allFree()).toBe(true);
    expect((await zero("down")).all).toContain("Nothing is running");
  });

  it("keeps the data across down and up", async () => {
    expect((await zero("up")).exitCode).toBe(0);
    const client = new pg.Client({ connectionString: `postgres://fixture:${canary}@127.0.0.1:${env.POSTGRES_PORT}/fixture` });
    await client.connect();
    expect((await client.query("select note from kept")).rows).toEqual([{ note: "survives restarts" }]);
    await client.end();
  });

  it("applies a rotated POSTGRES_PASSWORD to the existing database on the next start, keeping the data", async () => {
    expect((await zero("down")).exitCode).toBe(0);
    const rotated = `${canary}rotated`;
    env.POSTGRES_PASSWORD = rotated;
    const result = await zero("up");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("applying the POSTGRES_PASSWORD from .env to the existing database");
    const url = (password: string) => `postgres://fixture:${password}@127.0.0.1:${env.POSTGRES_PORT}/fixture`;
    const client = new pg.Client({ connectionString: url(rotated) });
    await client.connect();
    expect((await client.query("select note from kept")).rows).toEqual([{ note: "survives restarts" }]);
    await client.end();
    await expect(new pg.Client({ connectionString: url(canary) }).connect()).rejects.toThrow(/password authentication failed/);
  });

  it("cleans up after a supervisor killed with SIGKILL", async () => {
    const recorded = state();
    process.kill(recorded.supervisor.pid, "SIGKILL");
    const result = await zero("down");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("The supervisor had died");
    const groups = Object.values(recorded.services).map((s) => (s as { pgid: number }).pgid);
    expect(groups.filter(groupAlive)).toEqual([]);
    expect(await allFree()).toBe(true);
  });

  it("never writes a secret to logs or the state file, nor shows it in the process list", async () => {
    expect((await zero("up")).exitCode).toBe(0);
    const logs = execSync(`cat ${env.ZERO_HOME}/logs/*.log ${env.ZERO_HOME}/state.json`, { encoding: "utf8" });
    expect(logs).toContain("greeting: uses ****");
    expect(logs).not.toContain(canary);
    expect(execSync("ps -eo args", { encoding: "utf8" })).not.toContain(canary);
    expect((await zero("down")).exitCode).toBe(0);
  });

  it.each([
    ["POSTGRES_PORT", "postgres (main)"],
    ["REDIS_PORT", "redis (main)"],
    ["APP_PORT", "app (http)"],
  ])("refuses to start when %s is taken by a foreign process, naming its pid and command, which survives", async (variable, wanter) => {
    const port = Number(env[variable]);
    const script = `require("net").createServer().listen(${port}, "127.0.0.1", () => console.log("listening"))`;
    const foreign = spawn(process.execPath, ["-e", script, "foreign-port-holder"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      await new Promise((resolve) => foreign.stdout!.once("data", resolve));
      const result = await zero("up");
      expect(result.exitCode).toBe(3);
      expect(result.all).toContain("ZERO_PORT_IN_USE");
      expect(result.all).toContain(`port ${port}: wanted by ${wanter}, held by pid ${foreign.pid}:`);
      expect(result.all).toContain("foreign-port-holder");
      expect(result.all).toContain(`${variable}=<free port>`);
      expect(foreign.exitCode).toBeNull();
      expect(() => process.kill(foreign.pid!, 0)).not.toThrow();
      expect((await zero("status")).all).toContain("Nothing is running");
    } finally {
      foreign.kill();
    }
  });

  it("reports a service that will not start with its phase and log lines, and leaves nothing running", async () => {
    const result = await zero("up", "--profile", "broken");
    expect(result.exitCode).toBe(5);
    expect(result.all).toMatch(/crasher\s+FAILED \(health\): crasher exited while starting: exit code 3/);
    expect(result.all).toContain("fixture crasher: cannot read config file settings.json");
    expect(result.all).toContain("make logs service=crasher");
    expect(await allFree()).toBe(true);
    expect((await zero("status")).all).toContain("Nothing is running");
  });
});
