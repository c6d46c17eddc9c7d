import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopGroup } from "../../src/processes/process-group.js";
import { groupUsageReader } from "../../src/runtimes/native/supervisor/resource-usage.js";

// The real /proc (Linux): a process group of a busy Node process and an idle `sleep` it started, read as a service.
describe.runIf(process.platform === "linux")("groupUsageReader", () => {
  const spin =
    "require('node:child_process').spawn('sleep', ['60'], { stdio: 'ignore' }); console.log('up'); for (;;) {}";
  let pgid: number;
  const folder = mkdtempSync(join(tmpdir(), "zero-proc-"));
  beforeAll(async () => {
    const group = spawn(process.execPath, ["-e", spin], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    pgid = group.pid!;
    await once(group.stdout!, "data");
  });
  afterAll(async () => {
    await stopGroup(pgid, "SIGKILL", 5_000);
    rmSync(folder, { recursive: true, force: true });
  });

  it("sums the group's members: CPU since the previous reading (0 the first time), memory as ps shows it", async () => {
    const read = groupUsageReader();
    expect((await read([pgid])).get(pgid)?.cpu).toBe(0);
    await sleep(1_000);
    const usage = (await read([pgid])).get(pgid)!;
    // One busy thread: up to a core, less when other work shares the machine's cores.
    expect(usage.cpu).toBeGreaterThan(5);
    expect(usage.cpu).toBeLessThan(150);
    const rows = execFileSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(rows).toHaveLength(2); // node and its sleep
    const psBytes = rows.reduce((sum, kilobytes) => sum + Number(kilobytes) * 1024, 0);
    // Within 1 %: the `sleep` alone is ~2 MB of Node's ~45, so a reader that missed a member would be off by more.
    expect(Math.abs(usage.memoryBytes - psBytes) / psBytes).toBeLessThan(0.01);
    expect((await read([pgid + 1_000_000])).size).toBe(0); // a group nobody is in
  });

  it("fails when the process table cannot be read (its folder gone), and reads again once it is back", async () => {
    const proc = join(folder, "proc");
    symlinkSync("/proc", proc);
    const read = groupUsageReader(proc);
    expect((await read([pgid])).get(pgid)?.memoryBytes).toBeGreaterThan(0);
    rmSync(proc);
    await expect(read([pgid])).rejects.toMatchObject({ code: "ENOENT" });
    symlinkSync("/proc", proc);
    expect((await read([pgid])).get(pgid)?.memoryBytes).toBeGreaterThan(0);
  });
});
