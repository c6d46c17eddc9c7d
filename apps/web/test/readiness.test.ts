import { describe, expect, it } from "vitest";
import { headline } from "../src/lib/headline";
import { isReadiness } from "../src/lib/readiness";
import { toneOf } from "../src/lib/tone";

describe("landing page logic", () => {
  it("says Ready only when the API reports ready", () => {
    const answered = (status: "ready" | "not_ready") => ({
      kind: "answered" as const,
      readiness: { status, database: "ok" as const, cache: "ok" as const },
      responseMs: 3,
      checkedAt: new Date(),
    });
    expect(headline(answered("ready"))).toBe("Zero-to-Running Environment - Ready!");
    expect(headline(answered("not_ready"))).toMatch(/Waiting/);
    expect(headline({ kind: "unreachable", error: "Failed to fetch", checkedAt: new Date() })).toMatch(/Waiting/);
    expect(headline({ kind: "loading" })).toMatch(/Waiting/);
  });

  it("recognises a readiness answer and rejects anything else", () => {
    expect(isReadiness({ status: "not_ready", database: "error", cache: "ok" })).toBe(true);
    expect(isReadiness({ error: "Not Found" })).toBe(false);
    expect(isReadiness(null)).toBe(false);
  });

  it("maps states to tones that always come with a text label", () => {
    expect(toneOf("ok")).toBe("good");
    expect(toneOf("unhealthy")).toBe("bad");
    expect(toneOf("restarting")).toBe("warn");
    expect(toneOf("disabled")).toBe("idle");
  });
});
