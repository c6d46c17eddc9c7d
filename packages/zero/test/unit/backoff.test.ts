import { describe, expect, it } from "vitest";
import { nextCrashCount, restartDelay } from "../../src/runtimes/native/supervisor/backoff.js";

describe("restart backoff", () => {
  it("doubles from 250 ms and is capped at 30 s", () => {
    expect([0, 1, 2, 3].map((n) => restartDelay(n))).toEqual([250, 500, 1000, 2000]);
    expect(restartDelay(20)).toBe(30_000);
    expect(restartDelay(1000)).toBe(30_000);
  });

  it("forgets earlier crashes after a stable run", () => {
    expect(nextCrashCount(5, 9_999)).toBe(6);
    expect(nextCrashCount(5, 10_000)).toBe(0);
  });
});
