import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { alive, faultStack } from "./fault-stack.js";

// A process that SIGKILL cannot end, made honestly: the cgroup v1 freezer. A task in a FROZEN cgroup sleeps in the
// kernel (the state `ps` shows as D, as for a dead NFS mount) and a SIGKILL stays pending until the cgroup is thawed:
// exactly what `make down` meets with a process stuck in uninterruptible I/O. (The cgroup v2 freezer lets a SIGKILL
// through, and a ptrace stop does too, so neither would test anything.) Needs root and a writable v1 freezer
// hierarchy; skipped, saying so, otherwise.
const FREEZER = "/sys/fs/cgroup/freezer";

function freezerUsable(): boolean {
  try {
    accessSync(FREEZER, constants.W_OK);
    return existsSync(join(FREEZER, "tasks"));
  } catch {
    return false;
  }
}

const usable = freezerUsable();
if (!usable) console.warn(`unkillable.test.ts: skipped, ${FREEZER} (cgroup v1 freezer) is not writable here`);

describe.runIf(usable).sequential("faults: a process that does not die even after SIGKILL", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  const cgroup = join(FREEZER, `zero-fault-${process.pid}`);
  let frozen = 0;

  beforeAll(async () => {
    stack = await faultStack("app");
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  });
  afterAll(async () => {
    // Thawed, the pending SIGKILL takes effect: nothing of the test outlives it.
    if (existsSync(cgroup)) {
      writeFileSync(join(cgroup, "freezer.state"), "THAWED");
      if (frozen) await waitFor(() => !alive(frozen), 10_000, `pid ${frozen} gone once thawed`).catch(() => {});
      rmdirSync(cgroup);
    }
    await stack.cleanUp();
  });

  it("guarantee: make down ends within its bound (stop signal, 5 s, SIGKILL, 5 s) and names the process left behind", async () => {
    frozen = stack.state().services.app!.pid;
    mkdirSync(cgroup);
    writeFileSync(join(cgroup, "tasks"), String(frozen));
    writeFileSync(join(cgroup, "freezer.state"), "FROZEN");
    await waitFor(() => /^State:\s+D/m.test(procStatus(frozen)), 10_000, `pid ${frozen} in state D`);

    // Without the bound the stop waited for the group to empty, forever: a hang here fails the test's timeout.
    const down = await stack.zero("down");
    expect(down.all).toContain(`app: pid ${frozen} did not stop even after SIGKILL`);
    expect(down.all).toContain("left behind");
    expect(down.exitCode, down.all).toBe(0);
    // Still there, still frozen: the report is true, not a guess.
    expect(alive(frozen)).toBe(true);
    const status = await stack.zero("status");
    expect(status.stdout).toContain("Nothing is running");
  });
});

function procStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return "";
  }
}
