import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LogFile } from "../../src/runtimes/native/supervisor/log-file.js";
import { faultStack } from "./fault-stack.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

// Faults: a full disk and a read-only folder under .zero/logs, made real with a small tmpfs (needs root to mount).

const canMount = process.getuid?.() === 0 && mountWorks();
const skipNote = canMount ? "" : " (skipped: needs root and a kernel that lets us mount a small tmpfs)";

function mountWorks(): boolean {
  const dir = mkdtempSync(join(tmpdir(), "zero-mount-check-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mounted: string[] = [];
function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  mounted.push(dir);
}
function fill(dir: string): void {
  try {
    execFileSync("dd", ["if=/dev/zero", `of=${join(dir, "filler")}`, "bs=4k"], { stdio: "ignore" });
  } catch {
    // dd stops with "No space left on device": that is the point
  }
}
function unmountAll(): void {
  for (const dir of mounted.splice(0).reverse()) execFileSync("umount", ["-l", dir]);
}

/** CPU time (user + system, in clock ticks) a process has used. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

describe.skipIf(!canMount).sequential(`faults: full and read-only log folders${skipNote}`, { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  const logs = () => join(stack.home, "logs");
  beforeAll(async () => {
    stack = await faultStack("app");
  });
  afterEach(async () => {
    await stack.zero("down");
    unmountAll();
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: a read-only .zero/logs before start is a clear ZERO_LOGS_UNWRITABLE, and nothing starts", async () => {
    mountTmpfs(logs(), "size=256k,ro");
    const up = await stack.zero("up");
    expect(up.exitCode).toBe(4);
    expect(up.all).toContain("ZERO_LOGS_UNWRITABLE");
    expect(up.all).toContain("EROFS: the folder is on a read-only file system");
    expect(up.all).toMatch(/Make .*\/logs writable/);
    expect(up.all).not.toContain("ZERO_INTERNAL");
    expect(stack.processes()).toEqual([]);
  });

  it("guarantee: a full .zero/logs before start is a clear error within seconds, not a hang at 100 % CPU", async () => {
    mountTmpfs(logs(), "size=64k");
    fill(logs());
    const began = Date.now();
    const up = await stack.zero("up");
    expect(up.exitCode).toBe(4);
    expect(up.all).toContain("ENOSPC: the disk is full");
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(stack.processes()).toEqual([]);
  });

  it("guarantee: a disk that fills while the stack runs stops nothing: services keep running and restarting, the supervisor stays idle, make down is quick", {
    timeout: 60_000,
  }, async () => {
    mountTmpfs(logs(), "size=1m");
    expect((await stack.zero("up")).exitCode).toBe(0);
    fill(logs());
    const { supervisor, services } = stack.state();
    process.kill(services.app!.pid, "SIGKILL"); // the supervisor must log this, and cannot
    const record = await stack.healthyAgain("app", services.app!.pid);
    expect(record.state).toBe("running");
    const before = cpuTicks(supervisor.pid);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(cpuTicks(supervisor.pid) - before).toBeLessThan(50); // under 25 % of a core over 2 s (100 ticks/s)
    expect((await stack.zero("status")).stdout).toMatch(/app\s+running\s+healthy/);
    const began = Date.now();
    const down = await stack.zero("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(stack.processes()).toEqual([]);
  });
});

describe.skipIf(!canMount)(`faults: a service log on a full disk${skipNote}`, () => {
  afterEach(unmountAll);

  it("guarantee: log lines that cannot be written are dropped and counted, never thrown, and writing resumes when space returns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-full-log-"));
    mountTmpfs(dir, "size=64k");
    const problems: string[] = [];
    const log = new LogFile(
      join(dir, "app.log"),
      (text) => text,
      10 * 1024 * 1024,
      (message) => problems.push(message),
    );
    fill(dir);
    for (let i = 0; i < 1000; i++) log.write("2026-11-28T00:00:00.000Z", `line ${i} ${"x".repeat(100)}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("ENOSPC");
    rmSync(join(dir, "filler"));
    await new Promise((resolve) => setTimeout(resolve, 5_100)); // the retry interval
    log.write("2026-11-28T00:00:06.000Z", "after the disk was freed");
    await log.close();
    const text = readFileSync(join(dir, "app.log"), "utf8");
    expect(text).toMatch(/\[zero\] \d+ log line\(s\) were dropped: ENOSPC/);
    expect(text).toContain("after the disk was freed");
    writeFileSync(join(dir, "done"), "");
  });
});
