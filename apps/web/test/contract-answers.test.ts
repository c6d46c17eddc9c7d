import { configViewSchema, stacksViewSchema, traceListSchema } from "@zero/contracts/control";
import { describe, expect, it } from "vitest";
import { readAnswer } from "../src/lib/contract";
import { parseStatusEvent } from "../src/lib/status";
import { mockStatus } from "../src/mocks/handlers";

describe("a status event is read with the control API's contract", () => {
  it("takes an answer of the contract's shape", () => {
    const status = mockStatus();
    expect(parseStatusEvent(JSON.stringify(status))).toEqual({ status });
  });

  it("refuses a renamed field, naming it, instead of showing empty cells", () => {
    const { services, ...rest } = mockStatus();
    const renamed = { ...rest, service: services };
    const parsed = parseStatusEvent(JSON.stringify(renamed));
    expect(parsed).toEqual({ error: expect.stringContaining("at services") });
  });

  it("refuses a service state the contract does not know", () => {
    const status = mockStatus();
    const [name] = Object.keys(status.services);
    const broken = {
      ...status,
      services: { ...status.services, [name!]: { ...status.services[name!], state: "sleeping" } },
    };
    expect(parseStatusEvent(JSON.stringify(broken))).toEqual({
      error: expect.stringContaining(`services.${name}.state`),
    });
  });

  it("refuses what is not JSON", () => {
    expect(parseStatusEvent("{")).toEqual({ error: "a status event that is not JSON" });
  });
});

describe("every control answer the page reads is checked against its schema", () => {
  const json = (value: unknown) =>
    new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });

  it("returns an answer of the contract's shape as it is", async () => {
    const stacks = { self: { name: "zero-to-running", branch: "main" }, others: [] };
    expect(await readAnswer(json(stacks), stacksViewSchema, "a stack list")).toEqual(stacks);
  });

  it("throws, naming the field, for an answer of another shape (shown by the panel instead of empty rows)", async () => {
    await expect(
      readAnswer(json({ profile: "full", runtime: "native", rows: [] }), configViewSchema, "a configuration"),
    ).rejects.toThrow(/a configuration that breaks the contract at settings/);
    await expect(readAnswer(json({ traces: "none" }), traceListSchema, "a trace list")).rejects.toThrow(
      /a trace list that breaks the contract at /,
    );
  });
});
