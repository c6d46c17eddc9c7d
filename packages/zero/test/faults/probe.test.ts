import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultStack } from "./fault-stack.js";

// Fault: a health probe that hangs. Real supervisor, real probe processes (test/fixtures/faults, profile hang).

function probeProcesses(): number {
  return readdirSync("/proc").filter((name) => {
    try {
      return (
        /^\d+$/.test(name) &&
        readFileSync(`/proc/${name}/cmdline`, "utf8").includes(`probe.mjs`) &&
        readFileSync(`/proc/${name}/environ`, "latin1").includes(hangFile)
      );
    } catch {
      return false;
    }
  }).length;
}
let hangFile = "";

describe.sequential("faults: a hanging health probe", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("hang");
    hangFile = join(stack.home, "hang-now");
    stack.env.HANG_FILE = hangFile;
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: a probe that hangs is cut at its timeout: status answers in seconds, says timed out, and probes do not pile up", async () => {
    writeFileSync(hangFile, "");
    const began = Date.now();
    const status = await stack.zero("status");
    expect(Date.now() - began).toBeLessThan(8_000);
    expect(status.exitCode).toBe(1);
    expect(status.stdout).toMatch(/probed is unhealthy: .*timed out/);
    await new Promise((resolve) => setTimeout(resolve, 6_000)); // three rounds of the monitor
    expect(probeProcesses()).toBeLessThanOrEqual(1);
    const down = await stack.zero("down");
    expect(down.exitCode).toBe(0);
    expect(probeProcesses()).toBe(0);
  });
});
