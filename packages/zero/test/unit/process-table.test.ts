import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { stopGroup } from "../../src/processes/process-group.js";
import { processTableOncePerTurn } from "../../src/processes/process-info.js";
import { freePort } from "../helpers/cli.js";

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

// A dying Node process's main thread is a zombie while its other threads still exit, and its listening socket closes
// only with the last of them: 9 of 30 stops here left the port bound when the main thread alone was looked at.
describe.runIf(process.platform === "linux")("stopGroup and a multi-threaded process", () => {
  it("returns only once the process's listening port is free, every time", async () => {
    const port = await freePort();
    const server = `require("node:net").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))`;
    const stillBound: number[] = [];
    for (let round = 0; round < 40; round++) {
      const child = spawn(process.execPath, ["-e", server], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
      const exited = once(child, "exit");
      await once(child.stdout, "data");
      await stopGroup(child.pid!, "SIGTERM", 5_000);
      if (!(await isPortFree(port))) stillBound.push(round);
      await exited;
    }
    expect(stillBound).toEqual([]);
  });
});
