// End to end on a REAL cluster: runs only when ZERO_K8S_CONTEXT names a kube context (a kind or Rancher Desktop
// cluster with the api and web images built into it, docs/kubernetes.md). No cluster can run on the project's
// machines, so CI reports it as skipped. It deploys the test profile into its own namespace, checks every
// service healthy, calls the API through a port-forward, then `down` and checks only the PVCs are left.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { DockerCli } from "../../src/docker/docker-cli.js";
import { deploy } from "../../src/runtimes/kubernetes/deploy.js";
import { undeploy } from "../../src/runtimes/kubernetes/undeploy.js";
import { repoRoot } from "../helpers/cli.js";
import { kubeTools } from "../helpers/kube-tools.js";

const context = process.env.ZERO_K8S_CONTEXT;
const namespace = `zero-e2e-${process.pid}`;

describe.skipIf(!context)(
  `kubernetes on a real cluster (${context ? `context ${context}` : "skipped: set ZERO_K8S_CONTEXT to a kube context to run it"})`,
  () => {
    it("deploys the test profile, serves through a port-forward, and down leaves only the PVCs", async () => {
      const env = {
        ZERO_HOME: mkdtempSync(join(tmpdir(), "zero-k8s-e2e-")),
        ZERO_KUBE_CONTEXT: context!,
        ZERO_K8S_NAMESPACE: namespace,
      };
      const project = loadProject({ cwd: repoRoot, profile: "test", runtime: "kubernetes", env });
      const { kubectl } = kubeTools();
      const result = await deploy(project, () => {}, new DockerCli());
      expect(result.services.map((s) => `${s.name} ${s.health}`).sort()).toEqual([
        "api healthy",
        "postgres healthy",
        "redis healthy",
        "web healthy",
      ]);
      const forward = spawn(
        kubectl,
        ["--context", context!, "-n", namespace, "port-forward", "service/api", "48001:3001"],
        { stdio: "ignore" },
      );
      try {
        let status = 0;
        for (let i = 0; i < 50 && status !== 200; i++) {
          status = await fetch("http://127.0.0.1:48001/health/ready").then(
            (r) => r.status,
            () => 0,
          );
          if (status !== 200) await sleep(200);
        }
        expect(status).toBe(200);
      } finally {
        forward.kill();
      }
      await undeploy(loadProject({ cwd: repoRoot, profile: "test", runtime: "kubernetes", env }), () => {}, {
        volumes: false,
      });
      const left = execFileSync(
        kubectl,
        [
          "--context",
          context!,
          "-n",
          namespace,
          "get",
          "all,secrets,networkpolicies",
          "-l",
          "app.kubernetes.io/instance=zero-to-running",
          "-o",
          "name",
        ],
        { encoding: "utf8" },
      );
      expect(left.trim()).toBe("");
      execFileSync(kubectl, ["--context", context!, "delete", "namespace", namespace, "--wait=false"]);
    }, 600_000);
  },
);
