import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runZero } from "../helpers/cli.js";

// stack.yaml broken while a Kubernetes stack may run. No cluster is needed, and none is faked: the refusal comes
// before any call to the API server (KUBECONFIG points at a file that does not exist, so a call would fail loudly).
describe("faults: a broken stack.yaml with runtime=kubernetes", () => {
  const root = mkdtempSync(join(tmpdir(), "zero-k8s-broken-"));
  writeFileSync(join(root, "stack.yaml"), "name: broken\nservices: [half-typed\n");
  const env = { ZERO_HOME: join(root, ".zero"), KUBECONFIG: join(root, "no-such-kubeconfig") };
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const command of ["status", "down"]) {
    it(`guarantee: make ${command} refuses, saying the deployment is not recorded here and both ways out (fix the file, or kubectl)`, async () => {
      const result = await runZero([command, "--runtime", "kubernetes"], { cwd: root, env });
      expect(result.exitCode, result.all).toBe(2);
      expect(result.all).toContain("ZERO_STACK_INVALID");
      expect(result.all).toContain("A Kubernetes stack is not recorded on this machine");
      expect(result.all).toContain("make down runtime=kubernetes");
      expect(result.all).toContain("kubectl delete namespace <the stack's namespace");
    });
  }

  it("guarantee: the kubectl command names the namespace when ZERO_K8S_NAMESPACE says it", async () => {
    const result = await runZero(["down"], {
      cwd: root,
      env: { ...env, ZERO_RUNTIME: "kubernetes", ZERO_K8S_NAMESPACE: "team-a" },
    });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toContain("kubectl delete namespace team-a");
  });
});
