import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { processTableOncePerTurn } from "../../src/processes/process-info.js";

// The real /proc (Linux): stops that begin together share one reading; a later turn reads afresh and sees a change.
describe.runIf(process.platform === "linux")("processTableOncePerTurn", () => {
  it("reads /proc once per turn of the event loop, afresh in a later one", async () => {
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    await once(child, "spawn");
    const processes = processTableOncePerTurn();
    const first = processes();
    expect(first.some((entry) => entry.pid === child.pid)).toBe(true);
    expect(processes()).toBe(first); // same turn: the same reading
    child.kill("SIGKILL");
    await once(child, "exit"); // reaped, in a later turn
    const next = processes();
    expect(next).not.toBe(first);
    expect(next.some((entry) => entry.pid === child.pid)).toBe(false);
  });
});
