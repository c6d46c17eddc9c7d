import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createControlClient } from "@zero/contracts/control-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { alive, faultStack } from "./fault-stack.js";

// Faults inside the supervisor's own work: a usage sample that fails, a 20 MB line. The sample reads /proc on Linux:
// the stack's ZERO_TEST_PROC_ROOT is a link to it that the test takes away (reading then fails as when /proc cannot
// be read); elsewhere `ps` (which cannot fork under load) is a real program that fails while a file exists, first
// on the stack's PATH.

describe.sequential("faults: the supervisor's own failures", { timeout: 120_000 }, () => {
  const bin = mkdtempSync(join(tmpdir(), "zero-ps-"));
  const failPs = join(bin, "fail");
  const proc = join(bin, "proc");
  const breakSample = () => (process.platform === "linux" ? rmSync(proc) : writeFileSync(failPs, ""));
  const mendSample = () => (process.platform === "linux" ? symlinkSync("/proc", proc) : rmSync(failPs));
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    writeFileSync(
      join(bin, "ps"),
      `#!/bin/sh\n[ -e "${failPs}" ] && { echo "ps: cannot fork" >&2; exit 1; }\nPATH="${process.env.PATH}" exec ps "$@"\n`,
    );
    chmodSync(join(bin, "ps"), 0o755);
    symlinkSync("/proc", proc);
    stack = await faultStack("app", { PATH: `${bin}:${process.env.PATH}`, ZERO_TEST_PROC_ROOT: proc });
    expect((await stack.zero("up")).exitCode).toBe(0);
  });
  afterAll(async () => {
    await stack.cleanUp();
    rmSync(bin, { recursive: true, force: true });
  });

  const control = () => {
    const { supervisor } = stack.state();
    return createControlClient({ url: `http://127.0.0.1:${supervisor.controlPort}`, token: supervisor.token });
  };

  it("guarantee: usage samples that fail while the dashboard follows status do not stop the stack", async () => {
    const { supervisor, services } = stack.state();
    const following = new AbortController();
    let statuses = 0;
    const follow = control()
      .followStatus(() => statuses++, following.signal)
      .catch(() => {});
    await waitFor(() => statuses > 0, 10_000, "the first status event");
    breakSample();
    await expect(control().status()).rejects.toThrow(); // the fault is real: a reading fails now
    await sleep(5_000); // two rounds of the 2 s usage sample, both failing
    mendSample();
    following.abort();
    await follow;
    expect(alive(supervisor.pid)).toBe(true);
    expect(stack.state().services.app).toMatchObject({ pid: services.app!.pid, state: "running" });
    expect((await control().status()).services.app!.state).toBe("running");
  });

  it("guarantee: a 20 MB log line is cut to 64 KiB (the rest counted): logs tail=50 stays small, and so does the file", async () => {
    await fetch(`http://127.0.0.1:${stack.env.APP_PORT}/big-line`);
    const lines = await waitFor(
      async () => {
        const tail = await control().logs({ service: "app", tail: 50 });
        return tail.some((entry) => entry.line.includes("truncated")) ? tail : undefined;
      },
      20_000,
      "the cut line in the logs",
    );
    const cut = lines!.find((entry) => entry.line.includes("truncated"))!;
    expect(cut.line).toMatch(/^x{65536} … \[\d+ more bytes of this line truncated\]$/);
    expect(cut.line).toContain(`[${20 * 1024 * 1024 - 64 * 1024} more bytes`);
    expect(JSON.stringify(lines!).length).toBeLessThan(200_000);
    expect(statSync(join(stack.home, "logs", "app.log")).size).toBeLessThan(1_000_000);
  });
});
