import { describe, expect, it } from "vitest";
import { capability, exporterFor, runtimeFor, runtimeNames } from "./index.js";

// Pure logic: which runtime declares what (no runtime is started).
describe("runtime capabilities", () => {
  it("lists every runtime from the one registry", () => {
    expect(runtimeNames()).toEqual(["native", "compose", "kubernetes"]);
  });

  it("refuses a capability a runtime lacks with ZERO_UNSUPPORTED naming the runtimes that have it", () => {
    expect(() => capability(runtimeFor("native"), "exec")).toThrowError(
      expect.objectContaining({ code: "ZERO_UNSUPPORTED", message: "The native runtime cannot run a command inside a service.", next: expect.stringContaining("Runtimes that can: compose") }),
    );
  });

  it("hands out a capability a runtime has", () => {
    for (const name of ["native", "compose"]) {
      expect(typeof capability(runtimeFor(name), "status")).toBe("function");
      expect(typeof capability(runtimeFor(name), "restart")).toBe("function");
    }
    expect(exporterFor("compose").description).toBe("docker-compose.yml");
    expect(exporterFor("helm").folder).toBe("infrastructure/helm/zero-to-running");
    expect(() => exporterFor("swarm")).toThrowError(expect.objectContaining({ code: "ZERO_USAGE", message: 'zero export knows compose, kubernetes, helm; got "swarm".' }));
  });
});
