import { describe, expect, it } from "vitest";
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
