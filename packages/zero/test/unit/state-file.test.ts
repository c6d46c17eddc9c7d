import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  removeState,
  StateWriter,
  statePath,
  writeState,
  type StackState,
} from "../../src/runtimes/native/supervisor/state-file.js";
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

describe("the supervisor's state writer (off its event loop)", () => {
  const withRestarts = (restarts: number): StackState => ({
    ...state,
    services: { api: { ...state.services.api!, restarts } },
  });

  it("writes the newest state of a burst, one write at a time, private, with no temporary file left", async () => {
    const home = mkdtempSync(join(tmpdir(), "zero-state-"));
    writeState(home, state);
    const writer = new StateWriter(home, (error) => {
      throw error;
    });
    let reads = 0;
    for (let restarts = 1; restarts <= 50; restarts++) {
      writer.save(() => (reads++, withRestarts(restarts)));
      if (restarts % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.settled();
    expect(readState(home)?.services.api?.restarts).toBe(50);
    expect(reads).toBeLessThan(50); // saves that came while one was in flight were folded into the next
    expect(statSync(statePath(home)).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(statePath(home), "..")).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("writes nothing once closed: a write in flight lands before close returns, so a removed file stays removed", async () => {
    const home = mkdtempSync(join(tmpdir(), "zero-state-"));
    writeState(home, state);
    const writer = new StateWriter(home, () => {});
    writer.save(() => withRestarts(1));
    await writer.close();
    expect(readState(home)?.services.api?.restarts).toBe(1);
    removeState(home);
    writer.save(() => withRestarts(2));
    await writer.settled();
    expect(existsSync(statePath(home))).toBe(false);
  });

  it("reports a failed write and writes again at the next change", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "zero-state-")), "gone");
    const failures: string[] = [];
    const writer = new StateWriter(home, (error) => failures.push((error as NodeJS.ErrnoException).code ?? "?"));
    writer.save(() => withRestarts(1));
    await writer.settled();
    expect(failures).toEqual(["ENOENT"]);
    mkdirSync(join(statePath(home), ".."), { recursive: true });
    writer.save(() => withRestarts(2));
    await writer.settled();
    expect(readState(home)?.services.api?.restarts).toBe(2);
    rmSync(home, { recursive: true, force: true });
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
