import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { get } from "node:http";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runZero, waitFor } from "../helpers/cli.js";
import { dockerAnswers } from "../helpers/docker.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { isPortFree } from "../../src/ports/check.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The worked example (test/fixtures/watch, profile "example": the worker alone) under Docker Compose: the compose
// control server runs the watch rules (Compose v1 has no watch of its own). Real Docker, real files, real HTTP.
const fixture = new URL("../fixtures/watch/", import.meta.url).pathname;

describe.runIf(dockerAnswers || process.env.CI).sequential("watch rules under Docker Compose", () => {
  let root: string;
  let env: Record<string, string>;
  const zero = (...args: string[]) =>
    runZero([...args, "--runtime", "compose", "--profile", "example"], { cwd: root, env });
  const serves = async () => (await fetch(`http://127.0.0.1:${env.WORKER_PORT}/`)).text();
  const startedAt = async () => {
    const labels = [
      `label=com.docker.compose.project=${env.COMPOSE_PROJECT_NAME}`,
      "label=com.docker.compose.service=worker",
    ];
    const id = (await execa("docker", ["ps", "-q", ...labels.flatMap((label) => ["--filter", label])])).stdout.trim();
    return (await execa("docker", ["inspect", "--format", "{{.State.StartedAt}}", id])).stdout.trim();
  };
  /** GET on the compose control server's Unix socket, with its token (what the dashboard reads through its dev server). */
  const control = (path: string) => {
    const mount = join(env.ZERO_HOME!, "control", "mount");
    const token = readFileSync(join(env.ZERO_HOME!, "control", "tokens", "read", "token"), "utf8").trim();
    return new Promise<string>((resolve, reject) => {
      get(
        {
          socketPath: join(mount, "control.sock"),
          path,
          headers: { authorization: `Bearer ${token}`, host: "localhost" },
        },
        (response) => {
          let body = "";
          response.on("data", (chunk) => (body += chunk));
          response.on("end", () => resolve(body));
        },
      ).on("error", reject);
    });
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "zero-watch-compose-"));
    cpSync(fixture, root, { recursive: true });
    env = await isolatedEnv(["HUB_PORT", "WORKER_PORT"], { COMPOSE_PROJECT_NAME: `zero-e2e-watch-${process.pid}` });
    const up = await zero("up");
    expect(up.exitCode, up.all).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await zero("down", "--volumes");
    rmSync(root, { recursive: true, force: true });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("restarts the example worker's container after an edit, and the dashboard's log feed says so", async () => {
    expect(await serves()).toBe("worker v1");
    const before = await startedAt();
    const file = join(root, "worker", "worker.mjs");
    writeFileSync(file, readFileSync(file, "utf8").replace("worker v1", "worker v2"));
    await waitFor(async () => (await serves()) === "worker v2", 60_000, "the edited worker served from its container");
    expect(await startedAt()).not.toBe(before);
    // The control server's log feed (what the dashboard shows) over its Unix socket.
    const feed = await waitFor(
      async () => {
        const body = await control("/v1/logs?service=worker&tail=100");
        return /worker restarted in \d+ ms/.test(body) && body;
      },
      15_000,
      "the reload in the log feed",
    );
    expect(feed).toMatch(/\[zero\] watch: worker\/worker\.mjs changed: restarting worker/);
    // And `make logs runtime=compose` merges them with the container's own lines.
    const logs = await zero("logs", "worker");
    expect(logs.all).toMatch(/\[zero\] watch: worker\/worker\.mjs changed: restarting worker/);
    expect(logs.all).toMatch(/worker v2 listening on 8080/);
  }, 120_000);

  // Here with the watch rules: this stack's control server is the one whose queue the rules' restarts wait in.
  it("three zero restart of one service at once go through the control server's queue: the others join, one docker restart each", async () => {
    // To the millisecond: the previous test's watch restart may be in the same second.
    const since = (Date.now() / 1000).toFixed(3);
    const answers = await Promise.all([1, 2, 3].map(() => zero("restart", "worker")));
    for (const answer of answers) expect(answer.exitCode, answer.all).toBe(0);
    const joined = answers.filter((answer) => answer.stdout.includes("joined the restart already in progress")).length;
    const restarts = await execa("docker", [
      "events",
      ...["--since", since, "--until", String(Math.ceil(Date.now() / 1000) + 1)],
      ...["--filter", `label=com.docker.compose.project=${env.COMPOSE_PROJECT_NAME}`],
      ...[
        "--filter",
        "label=com.docker.compose.service=worker",
        "--filter",
        "event=restart",
        "--format",
        "{{.Action}}",
      ],
    ]);
    // `docker restart` straight from each CLI (the old way) restarted the container three times, joined by none.
    expect(joined, answers.map((answer) => answer.all).join("\n")).toBeGreaterThanOrEqual(1);
    expect(restarts.stdout.split("\n").filter(Boolean)).toHaveLength(3 - joined);
    expect(await serves()).toBe("worker v2");
  }, 120_000);

  it("a port another program took while the service was stopped: zero start says ZERO_PORT_IN_USE with the holder (exit 3)", async () => {
    expect((await zero("stop", "worker")).exitCode).toBe(0);
    const thief = spawn(
      process.execPath,
      ["-e", `require("node:net").createServer().listen(${env.WORKER_PORT}, "127.0.0.1")`, "port-thief"],
      { stdio: "ignore" },
    );
    try {
      await waitFor(async () => !(await isPortFree(Number(env.WORKER_PORT))), 10_000, "the thief listening");
      const start = await zero("start", "worker");
      expect(start.exitCode, start.all).toBe(3);
      expect(start.all).toContain("ZERO_PORT_IN_USE");
      expect(start.all).toContain(`held by pid ${thief.pid}`);
    } finally {
      thief.kill("SIGKILL");
    }
    await waitFor(async () => isPortFree(Number(env.WORKER_PORT)), 10_000, "the thief gone");
    const again = await zero("start", "worker");
    expect(again.exitCode, again.all).toBe(0);
  }, 120_000);

  it("with the control server dead, two zero restart at once start no server of their own (only make dev does, under its lock)", async () => {
    const serverFile = join(env.ZERO_HOME!, "control", "server.json");
    const dead = JSON.parse(readFileSync(serverFile, "utf8")) as { pid: number };
    process.kill(dead.pid, "SIGKILL");
    await waitFor(() => !alive(dead.pid), 10_000, "the control server gone");
    const answers = await Promise.all([1, 2].map(() => zero("restart", "worker")));
    for (const answer of answers) {
      expect(answer.exitCode, answer.all).toBe(7);
      expect(answer.all).toContain("ZERO_SUPERVISOR_UNREACHABLE");
      expect(answer.all).toContain("make dev runtime=compose");
    }
    // Before, each started a server: the second overwrote the first's pid file, leaving it running past `make down`.
    expect((JSON.parse(readFileSync(serverFile, "utf8")) as { pid: number }).pid).toBe(dead.pid);
    const up = await zero("up");
    expect(up.exitCode, up.all).toBe(0);
    const started = JSON.parse(readFileSync(serverFile, "utf8")) as { pid: number };
    expect(alive(started.pid)).toBe(true);
    expect((await zero("restart", "worker")).exitCode).toBe(0);
  }, 180_000);

  // Last: it breaks the copy's stack.yaml and stops the stack (fault suite, docs/reliability.md: a broken file).
  it("with stack.yaml broken, make status and make down work from the record (the Compose project and its file) and say the file is broken", async () => {
    writeFileSync(join(root, "stack.yaml"), "services: [half-typed\n");
    const status = await zero("status");
    expect(status.all).toContain("The configuration cannot be loaded (ZERO_STACK_INVALID");
    expect(status.all).toContain(join(env.ZERO_HOME!, "compose", "run.json"));
    expect(status.stdout).toMatch(/worker\s+running/);
    const down = await zero("down", "--volumes");
    expect(down.exitCode, down.all).toBe(0);
    expect(down.all).toContain("The configuration cannot be loaded");
    const left = await execa("docker", [
      "ps",
      "-aq",
      "--filter",
      `label=com.docker.compose.project=${env.COMPOSE_PROJECT_NAME}`,
    ]);
    expect(left.stdout.trim()).toBe("");
    expect(existsSync(join(env.ZERO_HOME!, "control", "server.json"))).toBe(false);
  }, 120_000);
});
