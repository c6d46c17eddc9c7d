import { describe, expect, it } from "vitest";
import type { CapabilityName } from "./runtime.js";
import { allRuntimes, capability, declaredCapabilities, exporterFor, runtimeFor, runtimeNames } from "./index.js";

// Pure logic: which runtime declares what (no runtime is started).
describe("runtime capabilities", () => {
  it("lists every runtime from the one registry", () => {
    expect(runtimeNames()).toEqual(["native", "compose", "kubernetes"]);
  });

  it("declares each runtime's capabilities and export formats as the runtime has them", async () => {
    const declared = declaredCapabilities();
    for (const runtime of await allRuntimes()) {
      const has = Object.entries(runtime.capabilities)
        .filter(([, value]) => value !== undefined)
        .map(([name]) => name as CapabilityName);
      expect(new Set(declared[runtime.name]!.capabilities), runtime.name).toEqual(new Set(has));
      expect(declared[runtime.name]!.exports, runtime.name).toEqual((runtime.capabilities.export ?? []).map((e) => e.format));
    }
  });

  it("refuses a capability a runtime lacks with ZERO_UNSUPPORTED naming the runtimes that have it", async () => {
    const native = await runtimeFor("native");
    expect(() => capability(native, "exec")).toThrowError(
      expect.objectContaining({ code: "ZERO_UNSUPPORTED", message: "The native runtime cannot run a command inside a service.", next: expect.stringContaining("Runtimes that can: compose") }),
    );
  });

  it("hands out a capability a runtime has", async () => {
    for (const name of ["native", "compose"]) {
      expect(typeof capability(await runtimeFor(name), "status")).toBe("function");
      expect(typeof capability(await runtimeFor(name), "restart")).toBe("function");
    }
    expect((await exporterFor("compose")).description).toBe("docker-compose.yml");
    expect((await exporterFor("helm")).folder).toBe("infrastructure/helm/zero-to-running");
    await expect(exporterFor("swarm")).rejects.toThrowError(expect.objectContaining({ code: "ZERO_USAGE", message: 'zero export knows compose, kubernetes, helm; got "swarm".' }));
    expect(() => runtimeFor("swarm")).toThrowError(expect.objectContaining({ code: "ZERO_CONFIG_INVALID" }));
  });
});
