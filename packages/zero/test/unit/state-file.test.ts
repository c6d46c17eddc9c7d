import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeState, statePath, writeState, type StackState } from "../../src/runtimes/native/supervisor/state-file.js";
import { readState } from "../../src/runtimes/native/supervisor/state-reader.js";
import { isSameProcess, processStartTime } from "../../src/processes/process-info.js";

const state: StackState = {
  version: 1,
  runtime: "native",
  profile: "full",
  fingerprint: "abc",
  supervisor: { pid: 1, startTime: "1", controlPort: 1234, token: "t" },
  services: {
    api: { pid: 2, pgid: 2, startTime: "2", ports: { http: 3001 }, state: "running", health: "healthy", restarts: 0, startedAt: "x" },
  },
};

describe("state file", () => {
  it("round-trips, is private to the owner, and is removed cleanly", () => {
    const home = mkdtempSync(join(tmpdir(), "zero-state-"));
    writeState(home, state);
    expect(readState(home)).toEqual(state);
    expect(statSync(statePath(home)).mode & 0o777).toBe(0o600);
    removeState(home);
    expect(readState(home)).toBeUndefined();
  });

  it("treats a corrupt or foreign file as no state rather than crashing", () => {
    const home = mkdtempSync(join(tmpdir(), "zero-state-"));
    writeFileSync(statePath(home), "{ not json");
    expect(readState(home)).toBeUndefined();
    writeFileSync(statePath(home), JSON.stringify({ version: 99 }));
    expect(readState(home)).toBeUndefined();
  });
});

describe("process identity", () => {
  it("recognises this process by pid and start time, and rejects a wrong start time", () => {
    const startTime = processStartTime(process.pid);
    expect(startTime).toBeTruthy();
    expect(isSameProcess(process.pid, startTime)).toBe(true);
    expect(isSameProcess(process.pid, `${startTime}0`)).toBe(false);
    expect(isSameProcess(2 ** 22 + 1, startTime)).toBe(false);
  });
});
