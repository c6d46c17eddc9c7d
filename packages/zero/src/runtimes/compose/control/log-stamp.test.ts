import { describe, expect, it } from "vitest";
import { nanos } from "./docker-backend.js";

// docker logs --timestamps writes RFC 3339 with up to 9 fraction digits, trailing zeros trimmed: the follower
// compares them to skip what `--since` repeats after a container restarts.
describe("a docker log stamp in nanoseconds", () => {
  it("reads every precision and orders within one millisecond", () => {
    expect(nanos("2026-11-23T19:24:50.151234567Z")).toBe(1795461890151234567n);
    expect(nanos("2026-11-23T19:24:50.15Z")).toBe(1795461890150000000n);
    expect(nanos("2026-11-23T19:24:50Z")).toBe(1795461890000000000n);
    expect(nanos("2026-11-23T19:24:50.151234568Z")! > nanos("2026-11-23T19:24:50.151234567Z")!).toBe(true);
  });

  it("is undefined for a line without a stamp", () => {
    expect(nanos("")).toBeUndefined();
    expect(nanos("plain text")).toBeUndefined();
  });
});
