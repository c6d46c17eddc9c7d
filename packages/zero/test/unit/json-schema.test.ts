import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stackJsonSchema } from "../../src/stack/json-schema.js";

describe("stack.schema.json", () => {
  it("is up to date with the zod schema (regenerate: node packages/zero/bin/zero.js schema packages/zero/stack.schema.json)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../stack.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(stackJsonSchema());
  });
});
