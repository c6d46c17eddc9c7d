import { describe, expect, it } from "vitest";
import { isZeroError } from "../../src/errors/zero-error.js";
import { loadKubernetesClient } from "../../src/runtimes/kubernetes/client-module.js";

describe("the Kubernetes client is loaded only when the runtime runs", () => {
  it("loads @kubernetes/client-node when it is installed (the full install of make test)", async () => {
    const k8s = await loadKubernetesClient();
    expect(typeof k8s.KubeConfig).toBe("function");
  });

  it("a missing client is ZERO_PREREQ_MISSING naming the command that installs it", async () => {
    // A real failed import of a package that is not installed, as after `npm ci --omit=dev`.
    const missing = "@kubernetes/client-node-not-installed";
    const error = await loadKubernetesClient(() => import(missing)).catch((e: unknown) => e);
    expect(isZeroError(error)).toBe(true);
    expect(error).toMatchObject({ code: "ZERO_PREREQ_MISSING", exitCode: 4 });
    expect((error as Error).message).toContain("@kubernetes/client-node");
    expect((error as { next: string }).next).toContain("make deploy");
  });

  it("any other failure while loading keeps its own error", async () => {
    const broken = new Error("broken module");
    await expect(loadKubernetesClient(() => Promise.reject(broken))).rejects.toBe(broken);
  });
});
