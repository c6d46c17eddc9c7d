import { describe, expect, it } from "vitest";
import { checkNodeSupport } from "../../src/doctor/checks.js";

describe("make doctor warns when Node is past its end of life, and only then", () => {
  it("Node 20 after 2026-04-30 is a warning with the fix, not a failure", () => {
    const result = checkNodeSupport("20.19.0", new Date("2026-11-28T00:00:00Z"));
    expect(result).toMatchObject({ ok: false, required: false });
    expect(result.detail).toBe("Node 20 reached end of life on 2026-04-30");
    expect(result.fix).toContain("nvm install 24");
  });

  it("Node 20 before its end of life, and the current LTS releases, pass", () => {
    expect(checkNodeSupport("20.19.0", new Date("2026-04-30T12:00:00Z")).ok).toBe(true);
    expect(checkNodeSupport("24.11.0", new Date("2026-11-28T00:00:00Z")).ok).toBe(true);
    expect(checkNodeSupport("26.1.0", new Date("2026-11-28T00:00:00Z")).ok).toBe(true);
  });

  it("an unknown major is not flagged", () => {
    expect(checkNodeSupport("30.0.0", new Date("2026-11-28T00:00:00Z")).ok).toBe(true);
  });
});
