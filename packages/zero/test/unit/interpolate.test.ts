import { describe, expect, it } from "vitest";
import { interpolate } from "../../src/stack/interpolate.js";

describe("interpolate", () => {
  it("fills ${VAR} and ${VAR:-default}, escapes $$, and reports missing variables", () => {
    const { value, missing, used } = interpolate(
      { a: "${A}", b: "${B:-two}", c: ["x${C}y"], d: 4, e: "$${literal}" },
      { A: "one" },
    );
    expect(value).toEqual({ a: "one", b: "two", c: ["xy"], d: 4, e: "${literal}" });
    expect([...missing]).toEqual(["C"]);
    expect([...used].sort()).toEqual(["A", "B", "C"]);
  });

  it("treats an empty value like an unset one when there is a default", () => {
    expect(interpolate("${P:-5432}", { P: "" }).value).toBe("5432");
  });
});

describe("interpolate, nested and unset-only defaults", () => {
  it("evaluates a default with variables inside only when it is used", () => {
    const template = "${URL-redis://:${PW}@h:${PORT:-6379}}";
    expect(interpolate(template, { PW: "x" }).value).toBe("redis://:x@h:6379");
    const overridden = interpolate(template, { URL: "" });
    expect(overridden.value).toBe("");
    expect([...overridden.missing]).toEqual([]);
  });

  it("keeps a lone $ and unterminated references as written", () => {
    expect(interpolate("cost $5 and ${OPEN", {}).value).toBe("cost $5 and ${OPEN");
  });
});
