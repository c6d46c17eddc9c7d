import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero, waitFor } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// Watch rules natively (test/fixtures/watch, docs/advanced.md#hot-reload-for-any-service): real files edited while the
// stack runs, the supervisor's one watcher, real rebuilds with esbuild, real restarts. One stack for the whole file.
const fixture = new URL("../fixtures/watch/", import.meta.url).pathname;
const esbuild = join(repoRoot, "node_modules", ".bin", "esbuild");

interface Record_ {
  pid: number;
  state: string;
  health: string;
  startedAt: string;
}

describe.sequential("watch rules on the native runtime", () => {
  let root: string;
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero(args, { cwd: root, env });
  const state = () =>
    JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8")) as { services: Record<string, Record_> };
  const log = (service: string) => readFileSync(join(env.ZERO_HOME!, "logs", `${service}.log`), "utf8");
  const serves = async (port: string) => (await fetch(`http://127.0.0.1:${env[port]}/`)).text();
  const edit = (path: string, from: string, to: string) => {
    const file = join(root, path);
    writeFileSync(file, readFileSync(file, "utf8").replace(from, to));
  };
  /** Lines of a service's log written after `mark` characters (what this step produced). */
  const since = (service: string, mark: number) => log(service).slice(mark);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "zero-watch-"));
    cpSync(fixture, root, { recursive: true });
    env = await isolatedEnv(["HUB_PORT", "WORKER_PORT"], { ESBUILD: esbuild });
    await execa(
      esbuild,
      ["hub/src/hub.ts", "--bundle", "--platform=node", "--format=esm", "--outfile=hub/dist/hub.mjs"],
      { cwd: root },
    );
    const up = await zero("up");
    expect(up.exitCode, up.all).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await zero("down");
    rmSync(root, { recursive: true, force: true });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("restarts the example worker after an edit, and says what changed, what it did and how long it took", async () => {
    const before = state().services.worker!.pid;
    const mark = log("worker").length;
    expect(await serves("WORKER_PORT")).toBe("worker v1");
    edit("worker/worker.mjs", "worker v1", "worker v2");
    await waitFor(async () => (await serves("WORKER_PORT")) === "worker v2", 30_000, "the edited worker served");
    expect(state().services.worker!.pid).not.toBe(before);
    const lines = await waitFor(
      () => /restarted in \d+ ms/.test(since("worker", mark)) && since("worker", mark),
      10_000,
      "the report",
    );
    expect(lines).toMatch(/\[zero\] watch: worker\/worker\.mjs changed: restarting worker/);
    expect(lines).toMatch(/\[zero\] watch: worker restarted in \d+ ms, healthy \(\d+ ms since the change was seen\)/);
    const logs = await zero("logs", "worker");
    expect(logs.all).toMatch(/watch: worker restarted in \d+ ms/);
  }, 60_000);

  it("ignores files its rule ignores", async () => {
    const mark = log("worker").length;
    writeFileSync(join(root, "worker", "notes.test.mjs"), "// not a reason to restart\n");
    await sleep(1_500); // longer than the debounce: nothing may happen
    expect(since("worker", mark)).not.toMatch(/watch:/);
  }, 20_000);

  it("keeps the running hub when its rebuild fails, with the compiler's output in make logs and the dashboard's log feed", async () => {
    const before = state().services.hub!;
    const mark = log("hub").length;
    edit("hub/src/hub.ts", 'const message: string = "hub v1";', 'const message: string = "hub v2" +;');
    const lines = await waitFor(
      () => /build failed/.test(since("hub", mark)) && since("hub", mark),
      30_000,
      "the failed build",
    );
    expect(lines).toMatch(/\[zero\] watch: hub\/src\/hub\.ts changed: building hub/);
    expect(lines).toMatch(/\[build\] .*ERROR.*Unexpected ";"/);
    expect(lines).toMatch(/\[build\] .*hub\/src\/hub\.ts:4:/);
    expect(lines).toMatch(/build failed \(exit code 1\) after \d+ ms: hub keeps running the previous version/);
    expect(state().services.hub!.pid).toBe(before.pid);
    expect(await serves("HUB_PORT")).toBe("hub v1");
    expect((await zero("logs", "hub")).all).toMatch(/\[build\] .*Unexpected ";"/);
    // The dashboard reads the control API's log feed.
    const { supervisor } = JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8"));
    const feed = await fetch(`http://127.0.0.1:${supervisor.controlPort}/v1/logs?service=hub&tail=50`, {
      headers: { authorization: `Bearer ${supervisor.token}` },
    });
    expect(JSON.stringify(await feed.json())).toMatch(/Unexpected \\";\\"/);
  }, 60_000);

  it("after a good rebuild restarts the hub, then the worker that follows it (restart: true) once the hub is healthy", async () => {
    const before = state().services;
    const mark = log("worker").length;
    edit("hub/src/hub.ts", 'const message: string = "hub v2" +;', 'const message: string = "hub v2";');
    await waitFor(async () => (await serves("HUB_PORT")) === "hub v2", 30_000, "the rebuilt hub served");
    await waitFor(
      () => state().services.worker!.pid !== before.worker!.pid && state().services.worker!.health === "healthy",
      30_000,
      "the worker restarted",
    );
    const after = state().services;
    expect(Date.parse(after.worker!.startedAt)).toBeGreaterThan(Date.parse(after.hub!.startedAt));
    expect(since("worker", mark)).toMatch(/\[zero\] restarting after hub \(depends_on restart: true\)/);
  }, 60_000);

  it("a restart from the CLI restarts the follower too", async () => {
    const before = state().services;
    const restart = await zero("restart", "hub");
    expect(restart.exitCode, restart.all).toBe(0);
    const after = state().services;
    expect(after.hub!.pid).not.toBe(before.hub!.pid);
    expect(after.worker!.pid).not.toBe(before.worker!.pid);
    expect(Date.parse(after.worker!.startedAt)).toBeGreaterThan(Date.parse(after.hub!.startedAt));
  }, 60_000);

  it("a burst of 200 changed files (a git switch) gives one restart per affected service", async () => {
    const marks = { hub: log("hub").length, worker: log("worker").length };
    mkdirSync(join(root, "hub", "src", "generated"));
    mkdirSync(join(root, "worker", "generated"));
    for (let i = 0; i < 100; i++) {
      writeFileSync(join(root, "hub", "src", "generated", `part${i}.ts`), `export const part${i} = ${i};\n`);
      writeFileSync(join(root, "worker", "generated", `part${i}.mjs`), `export const part${i} = ${i};\n`);
    }
    await waitFor(() => /hub restarted in/.test(since("hub", marks.hub)), 60_000, "the hub's reload");
    await waitFor(
      () => /watch: .*changed; worker was restarted since|worker restarted in/.test(since("worker", marks.worker)),
      60_000,
      "the worker's reload",
    );
    await sleep(2_000); // anything more would show up by now
    const hub = since("hub", marks.hub);
    const worker = since("worker", marks.worker);
    expect(hub.match(/\[zero\] watch: 100 files \(hub\/src\/generated\/.*\) changed: building hub/g)).toHaveLength(1);
    expect(hub.match(/hub restarted in/g)).toHaveLength(1);
    // The worker's own change is covered by the restart that follows the hub: one restart, not two.
    expect(worker.match(/listening on/g)).toHaveLength(1);
    expect(worker).toMatch(/100 files \(worker\/generated\/.*\) changed; worker was restarted since/);
  }, 120_000);
});
