import { createFakeControlClient } from "@zero/contracts/fake-control-client";
import { describe, expect, it } from "vitest";
import { stackStatusOf } from "./fake-stack-status.js";
import { NOT_ANSWERING } from "../runtime.js";
import { liveStatuses, orphanedStatuses, unansweredStatuses } from "./service-statuses.js";

// Runtime logic against the FAKE control client (a fake of the supervisor's protocol boundary, no supervisor
// started); the real supervisor answers `zero status` in test/integration/native-lifecycle.test.ts.

describe("native status", () => {
  it("asks the supervisor for a fresh status and maps it, with CPU and memory, for zero status", async () => {
    const fake = createFakeControlClient(
      stackStatusOf({
        postgres: { ports: { main: 5433 }, cpu: 1.5, memoryBytes: 40_000_000, lastCheckMs: 3 },
        api: {
          state: "restarting",
          health: "unknown",
          pid: 0,
          restarts: 4,
          lastExit: "exit code 1",
          crashLooping: true,
          nextRetryAt: "2026-01-01T00:00:12.000Z",
          startedAt: "",
        },
      }),
    );
    const statuses = await liveStatuses(fake);
    expect(fake.calls).toEqual(["status fresh"]);
    expect(statuses).toEqual([
      expect.objectContaining({
        name: "postgres",
        state: "running",
        health: "healthy",
        pid: 100,
        cpu: 1.5,
        memoryBytes: 40_000_000,
        lastCheckMs: 3,
        ports: { main: 5433 },
      }),
      expect.objectContaining({
        name: "api",
        state: "restarting",
        pid: undefined,
        startedAt: undefined,
        restarts: 4,
        lastExit: "exit code 1",
        crashLooping: true,
      }),
    ]);
  });

  it("asks again without fresh checks, says nothing when the supervisor does not answer at all; its records then show health unknown, never an old healthy", async () => {
    const fake = createFakeControlClient(stackStatusOf({ redis: {} }));
    fake.failNext("CONTROL_TIMEOUT");
    expect(await liveStatuses(fake)).toHaveLength(1); // asked again without fresh checks
    expect(fake.calls).toEqual(["status fresh", "status"]);
    const silent = { ...fake, status: () => Promise.reject(new Error("timed out")) };
    expect(await liveStatuses(silent)).toBeUndefined();
    const recorded = stackStatusOf({ redis: { health: "healthy", cpu: undefined } }).services;
    const [redis] = unansweredStatuses(recorded, "it is stopped", 42);
    expect(redis).toMatchObject({
      name: "redis",
      state: "running",
      health: "unknown",
      lastError: `${NOT_ANSWERING}: it is stopped`,
      problem: { code: "supervisor-not-answering", why: "it is stopped", stoppedPid: 42 },
    });
  });

  it("after the supervisor died, shows every service failed with the processes still alive", () => {
    const recorded = stackStatusOf({ postgres: { pid: 7 }, redis: { pid: 8 } }).services;
    expect(orphanedStatuses(recorded, { postgres: [7, 9] })).toEqual([
      expect.objectContaining({
        name: "postgres",
        state: "failed",
        lastError: "supervisor is not running",
        orphanPids: [7, 9],
        problem: { code: "supervisor-gone" },
      }),
      expect.objectContaining({ name: "redis", state: "failed", orphanPids: undefined }),
    ]);
  });
});
