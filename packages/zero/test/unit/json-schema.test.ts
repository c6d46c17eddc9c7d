import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stackJsonSchema } from "../../src/stack/json-schema.js";

describe("stack.schema.json", () => {
  it("is up to date with the zod schema (regenerate: node packages/zero/bin/zero.js schema packages/zero/stack.schema.json)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../stack.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(stackJsonSchema());
  });
});

describe("stack.schema.json for editors", () => {
  const service = (
    stackJsonSchema() as { properties: { services: { additionalProperties: { properties: Record<string, unknown> } } } }
  ).properties.services.additionalProperties.properties;

  it("completes watch rules: path, ignore and the three actions", () => {
    const rule = (service.watch as { items: { properties: Record<string, { enum?: string[] }> } }).items;
    expect(Object.keys(rule.properties)).toEqual(expect.arrayContaining(["path", "ignore", "action", "target"]));
    expect(rule.properties.action!.enum).toEqual(["restart", "rebuild", "sync"]);
  });

  it("offers depends_on's long form with restart", () => {
    const dependency = (
      service.depends_on as { additionalProperties: { anyOf: { properties?: Record<string, unknown> }[] } }
    ).additionalProperties;
    expect(dependency.anyOf.some((form) => form.properties && "restart" in form.properties)).toBe(true);
  });
});
