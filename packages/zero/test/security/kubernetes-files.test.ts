import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { deployPlan } from "../../src/runtimes/kubernetes/render/deploy-plan.js";
import { checkObjects } from "../../src/runtimes/kubernetes/render/check-objects.js";
import { openApiProblems, unknownFieldProblems, type KubeObject } from "../helpers/kubernetes-validate.js";
import { DSN_CANARY, securityProject } from "./security-stack.js";

// The Kubernetes objects zero makes for the security fixture: the ones `make deploy` applies (rendered by the real
// deployPlan with .env's values; no cluster needed to render them) and the files `zero export kubernetes|helm`
// write. A secret may be in a Secret only; everything else (Deployments, their env, annotations) references it.

let fixture: Awaited<ReturnType<typeof securityProject>>;

beforeAll(async () => {
  fixture = await securityProject();
  // A declared secret with a default in stack.yaml: what the exports render (they read stack.yaml, not .env).
  const stackYaml = join(fixture.root, "stack.yaml");
  const withDefault = readFileSync(stackYaml, "utf8").replace(
    'SENTRY_DSN: "${SENTRY_DSN}"',
    `SENTRY_DSN: "\${SENTRY_DSN:-${DSN_CANARY.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}}"`,
  );
  expect(withDefault).not.toBe(readFileSync(stackYaml, "utf8"));
  writeFileSync(stackYaml, withDefault);
});

afterAll(() => fixture?.cleanUp());

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The DSN's plain head (before its " and \) finds its JSON-escaped and YAML-quoted forms too. */
const DSN_HEAD = DSN_CANARY.slice(0, 11);

describe("threat: zero writes a secret into Kubernetes objects", () => {
  it("promise: a deploy's objects carry declared and generated secrets only in the Secret; pods take them by secretKeyRef", () => {
    const project = loadProject({ cwd: fixture.root, runtime: "kubernetes", env: {}, createEnv: true });
    const sessionKey = fixture.envValues().SESSION_KEY!;
    const plan = deployPlan(project, "security-fixture");
    const objects = [...plan.shared, ...Object.values(plan.byService).flat()];
    const leaks = objects
      .filter((o) => o.kind !== "Secret")
      .flatMap((o) => {
        const text = JSON.stringify(o);
        return [DSN_HEAD, sessionKey]
          .filter((canary) => text.includes(canary))
          .map((canary) => `${canary} in ${o.kind}/${o.metadata?.name}`);
      });
    expect(leaks).toEqual([]);
    const secret = objects.find((o) => o.kind === "Secret") as { stringData: Record<string, string> };
    expect(secret.stringData.sentry_dsn).toBe(DSN_CANARY);
    expect(secret.stringData.session_key).toBe(sessionKey);
    const app = plan.byService.app!.find((o) => o.kind === "Deployment") as {
      spec: { template: { spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } } };
    };
    const env = app.spec.template.spec.containers[0]!.env;
    expect(env.find((e) => e.name === "SENTRY_DSN")?.valueFrom).toEqual({
      secretKeyRef: { name: "security-fixture-secrets", key: "sentry_dsn" },
    });
    // The references are what the API server accepts, and the checker sees a key the Secret lacks.
    expect(openApiProblems(objects as unknown as KubeObject[])).toEqual([]);
    expect(unknownFieldProblems(objects as unknown as KubeObject[])).toEqual([]);
    delete secret.stringData.sentry_dsn;
    expect(checkObjects(objects).problems.join("\n")).toMatch(
      /env SENTRY_DSN reads key sentry_dsn, which Secret security-fixture-secrets does not have/,
    );
  });

  it("promise: zero export kubernetes and helm write a declared secret's value into no file (a Secret key instead)", async () => {
    for (const format of ["kubernetes", "helm"]) {
      const exported = await fixture.zero("export", format);
      expect(exported.exitCode, exported.all).toBe(0);
    }
    const written = walk(join(fixture.root, "infrastructure"));
    expect(written.length).toBeGreaterThan(5);
    const leaks = written.filter((file) => readFileSync(file, "utf8").includes(DSN_HEAD));
    expect(leaks.map((file) => file.slice(fixture.root.length + 1))).toEqual([]);
    const app = readFileSync(join(fixture.root, "infrastructure", "k8s", "app.yaml"), "utf8");
    expect(app).toMatch(/name: SENTRY_DSN\n\s+valueFrom:\n\s+secretKeyRef:/);
    expect(readFileSync(join(fixture.root, "infrastructure", "k8s", "kustomization.yaml"), "utf8")).toContain(
      "sentry_dsn=secrets/sentry_dsn",
    );
    // kubectl's kustomize builds the folder once the key's file is written: the Deployment refers to the Secret it makes.
    const k8s = join(fixture.root, "infrastructure", "k8s");
    writeFileSync(join(k8s, "secrets", "sentry_dsn"), DSN_CANARY);
    writeFileSync(join(k8s, "secrets", "redis_password"), "redis-password-for-the-build");
    const built = spawnSync("kubectl", ["kustomize", k8s], { encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    const secret = /kind: Secret\nmetadata:\n\s+name: (security-fixture-secrets-\w+)/.exec(built.stdout)?.[1];
    expect(secret, built.stdout).toBeDefined();
    expect(built.stdout).toMatch(new RegExp(`secretKeyRef:\\n\\s+key: sentry_dsn\\n\\s+name: ${secret}`));
  });
});
