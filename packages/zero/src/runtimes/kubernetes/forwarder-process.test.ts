import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { processStartTime, processStopped } from "../../processes/process-info.js";
import { stopForwarder } from "./forwarder-process.js";

// A real process stands for the forwarder: what is checked is which pid gets a signal, not Kubernetes.
describe("stopping the port-forwarder", () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const child of started.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  function recordFor(pid: number, startTime: string | undefined): string {
    const home = mkdtempSync(join(tmpdir(), "zero-forwarder-"));
    writeFileSync(join(home, "k8s-forward.json"), JSON.stringify({ pid, startTime, namespace: "ns" }));
    return home;
  }

  it("never signals a process that reused the recorded pid (another start time), nor one recorded without it", async () => {
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    started.push(other);
    for (const startTime of ["1", undefined]) {
      const home = recordFor(other.pid!, startTime);
      expect(await stopForwarder({ home })).toBe(false);
      rmSync(home, { recursive: true, force: true });
    }
    expect(processStopped(other.pid!)).toBe(false);
  });

  it("stops the recorded process itself", async () => {
    const forwarder = spawn("sleep", ["30"], { stdio: "ignore" });
    started.push(forwarder);
    const home = recordFor(forwarder.pid!, processStartTime(forwarder.pid!));
    const exited = new Promise((resolve) => forwarder.once("exit", (_code, signal) => resolve(signal)));
    expect(await stopForwarder({ home })).toBe(true);
    expect(await exited).toBe("SIGTERM");
    rmSync(home, { recursive: true, force: true });
  });
});
