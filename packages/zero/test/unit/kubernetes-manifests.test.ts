import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exporterFor } from "../../src/runtimes/index.js";
import { checkObjects } from "../../src/runtimes/kubernetes/render/check-objects.js";
import { objectsIn } from "../../src/runtimes/kubernetes/render/exports.js";
import { skaffoldFile } from "../../src/runtimes/kubernetes/render/skaffold-file.js";
import { readStackFile } from "../../src/stack/load.js";
import { repoRoot } from "../helpers/cli.js";
import { openApiProblems, unknownFieldProblems, type KubeObject } from "../helpers/kubernetes-validate.js";

const stackFile = () => readStackFile(join(repoRoot, "stack.yaml"));
const kustomizeObjects = async () =>
  objectsIn(await (await exporterFor("kubernetes")).files(stackFile())) as KubeObject[];
const clone = <T>(value: T): T => structuredClone(value);
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as any;
const semantic = (objects: KubeObject[], options = { deployTimeSecrets: ["zero-to-running-secrets"] }) =>
  checkObjects(objects, options).problems;

describe.each(["kubernetes", "helm"])("zero export %s", (format) => {
  it("is committed up to date with stack.yaml (run `make k8s-files` after changing it)", async () => {
    const spec = await exporterFor(format);
    const files = await spec.files(stackFile());
    for (const file of files) expect(readFileSync(join(repoRoot, file.path), "utf8"), file.path).toBe(file.text);
    const committed = readdirSync(join(repoRoot, spec.folder!), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)))
      .filter((path) => !/\/secrets\/(?!\.gitignore$)/.test(path));
    expect(committed.sort()).toEqual(files.map((f) => f.path).sort());
  });
});

describe("the kustomize folder's objects", () => {
  it("pass the OpenAPI schemas, the unknown-field check and the semantic checks", async () => {
    const objects = await kustomizeObjects();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        "Namespace/zero-to-running",
        ...["postgres", "redis", "api", "web"].map((name) => `Service/${name}`),
        "StatefulSet/postgres",
        "StatefulSet/redis",
        "Deployment/api",
        "Deployment/web",
        ...["default-deny-ingress", "postgres-from-api", "redis-from-api", "api-from-web", "public-from-ingress"].map(
          (name) => `NetworkPolicy/${name}`,
        ),
        "Ingress/zero-to-running",
      ].sort(),
    );
    expect(openApiProblems(objects)).toEqual([]);
    expect(unknownFieldProblems(objects)).toEqual([]);
    expect(semantic(objects)).toEqual([]);
  });

  it("include a kind added as one file (kinds/memcached.ts) with nothing Kubernetes-specific written for it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-k8s-kind-"));
    const memcached =
      "\n  sessions:\n    kind: memcached\n    profiles: [full]\n    ports: { main: 11211 }\n    healthcheck: { type: tcp, port: main }\n";
    writeFileSync(
      join(dir, "stack.yaml"),
      `${readFileSync(join(repoRoot, "stack.yaml"), "utf8").trimEnd()}${memcached}`,
    );
    const files = await (await exporterFor("kubernetes")).files(readStackFile(join(dir, "stack.yaml")));
    rmSync(dir, { recursive: true, force: true });
    const objects = objectsIn(files) as KubeObject[];
    const workload = objects.find(
      (o) => o.metadata.name === "sessions" && /Deployment|StatefulSet/.test(o.kind),
    ) as any;
    expect(workload?.spec.template.spec.containers[0].image).toBe("memcached:1.6-bookworm");
    expect(workload.spec.template.spec.securityContext.runAsUser).toBe(11211);
    expect(find(objects, "Service", "sessions")).toBeDefined();
    expect(openApiProblems(objects)).toEqual([]);
    expect(unknownFieldProblems(objects)).toEqual([]);
    expect(semantic(objects)).toEqual([]);
  });

  it("run every container unprivileged, with limits, probes and secrets only as files", async () => {
    const objects = await kustomizeObjects();
    for (const workload of objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet") as any[]) {
      const pod = workload.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toEqual({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(container.resources.limits.memory).toMatch(/Mi$/);
        expect(container.startupProbe && container.readinessProbe && container.livenessProbe).toBeTruthy();
        for (const env of container.env)
          if (/PASSWORD/.test(env.name)) expect(env.value, env.name).toMatch(/^\/run\/secrets\//);
      }
    }
    const postgres = find(objects, "StatefulSet", "postgres");
    expect(postgres.spec.volumeClaimTemplates[0].metadata.name).toBe("data");
    expect(postgres.spec.template.spec.containers[0].env).toContainEqual({
      name: "PGDATA",
      value: "/var/lib/postgresql/data/pgdata",
    });
    const redis = find(objects, "StatefulSet", "redis").spec.template.spec.containers[0];
    expect(redis.readinessProbe.exec.command.join(" ")).toContain('REDISCLI_AUTH="$(cat "$REDIS_PASSWORD_FILE")"');
    const api = find(objects, "Deployment", "api").spec.template.spec.containers[0];
    expect(api.readinessProbe.httpGet).toEqual({ path: "/health/ready", port: "http", scheme: "HTTP" });
    expect(api.image).toBe("zero-to-running-api:local");
    // The release step: the same image runs the migrations (dist/migrate.mjs) before the API container starts,
    // with the API's environment and secret files and the same restrictions; no ports, no probes.
    const [migrate, ...more] = find(objects, "Deployment", "api").spec.template.spec.initContainers;
    expect(more).toEqual([]);
    expect(migrate).toMatchObject({
      name: "migrate",
      image: api.image,
      command: ["node", "--enable-source-maps", "dist/migrate.mjs"],
      env: api.env,
      securityContext: api.securityContext,
      volumeMounts: api.volumeMounts,
    });
    expect(Object.keys(migrate).filter((k) => /Probe|ports/.test(k))).toEqual([]);
    // Only the api migrates: no other pod waits on a release step.
    for (const w of objects.filter(
      (o) => (o.kind === "Deployment" || o.kind === "StatefulSet") && o.metadata?.name !== "api",
    ) as any[])
      expect(w.spec.template.spec.initContainers, w.metadata.name).toBeUndefined();
    // PostgreSQL applies a password rotated in the Secret to its existing data (compose does it after docker start).
    const hook = find(objects, "StatefulSet", "postgres").spec.template.spec.containers[0].lifecycle.postStart.exec
      .command;
    expect(hook.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(hook[2]).toContain("ALTER ROLE");
    expect(hook[2]).toContain('"$POSTGRES_PASSWORD_FILE"');
  });

  it("allow exactly api → postgres, api → redis, web → api and the ingress controller → web and api", async () => {
    const policies = (await kustomizeObjects()).filter((o) => o.kind === "NetworkPolicy") as any[];
    const edges = policies.flatMap((p) =>
      (p.spec.ingress ?? []).flatMap((rule: any) =>
        rule.from.map(
          (peer: any) =>
            `${peer.podSelector?.matchLabels["app.kubernetes.io/name"] ?? `namespace ${peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}`} → ${p.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] ?? p.spec.podSelector.matchExpressions[0].values.join("+")}`,
        ),
      ),
    );
    expect(edges.sort()).toEqual(["api → postgres", "api → redis", "namespace ingress-nginx → api+web", "web → api"]);
    expect(find(policies as KubeObject[], "NetworkPolicy", "default-deny-ingress").spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress"],
    });
  });
});

describe("the objects a deploy applies (runtime=kubernetes)", () => {
  it("pass every layer, carry the Secret from .env and the rotation hash, and nothing else holds a password", async () => {
    const { loadProject } = await import("../../src/config/project.js");
    const { deployPlan } = await import("../../src/runtimes/kubernetes/render/deploy-plan.js");
    const home = (await import("node:fs")).mkdtempSync(join((await import("node:os")).tmpdir(), "zero-k8s-plan-"));
    const project = loadProject({
      cwd: repoRoot,
      profile: "test",
      runtime: "kubernetes",
      env: { ZERO_HOME: home, POSTGRES_IMAGE: "registry.local/postgres:17" },
    });
    const plan = deployPlan(project, "zero-to-running-test");
    const objects = [...plan.shared, ...Object.values(plan.byService).flat()] as unknown as KubeObject[];
    expect(openApiProblems(objects)).toEqual([]);
    expect(unknownFieldProblems(objects)).toEqual([]);
    const passwords = ["test-only-postgres-password", "test-only-redis-password"];
    expect(checkObjects(objects, { secretValues: passwords }).problems).toEqual([]);
    expect(find(objects, "Secret", "zero-to-running-secrets").stringData).toEqual({
      postgres_password: passwords[0],
      redis_password: passwords[1],
    });
    expect(find(objects, "StatefulSet", "postgres").spec.template.spec.containers[0].image).toBe(
      "registry.local/postgres:17",
    );
    expect(find(objects, "Deployment", "api").metadata.namespace).toBe("zero-to-running-test");
  });
});

// Each layer must catch its own class of mistake: an object that passes the others but not this one.
describe("each validation layer catches its class of mistake", () => {
  it("OpenAPI: a wrong type or a missing required field", async () => {
    const objects = clone(await kustomizeObjects());
    find(objects, "Deployment", "api").spec.replicas = "one";
    delete find(objects, "Service", "web").spec.ports[0].port;
    const problems = openApiProblems(objects);
    expect(problems.join("\n")).toMatch(/Deployment\/api\/spec\/replicas/);
    expect(problems.join("\n")).toMatch(/Service\/web\/spec\/ports\/0.*port/);
  });

  it("unknown fields: a misspelt readinesProbe, which the OpenAPI schemas let through", async () => {
    const objects = clone(await kustomizeObjects());
    const container = find(objects, "Deployment", "api").spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    expect(openApiProblems(objects)).toEqual([]); // why this layer exists
    expect(unknownFieldProblems(objects)).toEqual([
      expect.stringMatching(/Deployment\/api\.spec\.template\.spec\.containers\[0\]: unknown field "readinesProbe"/),
    ]);
  });

  it("semantic: selectors, port names, references, NetworkPolicy selectors, names and secret values", async () => {
    const cases: [string, (objects: KubeObject[]) => void, RegExp][] = [
      [
        "selector",
        (o) => (find(o, "Deployment", "web").spec.selector.matchLabels["app.kubernetes.io/name"] = "webb"),
        /Deployment\/web: spec.selector does not match/,
      ],
      [
        "probe port",
        (o) => (find(o, "Deployment", "api").spec.template.spec.containers[0].readinessProbe.httpGet.port = "htp"),
        /readinessProbe uses port "htp"/,
      ],
      [
        "port name length",
        (o) => (find(o, "Deployment", "api").spec.template.spec.containers[0].ports[0].name = "http-api-server-port"),
        /port name "http-api-server-port" must be at most 15/,
      ],
      [
        "Service target",
        (o) => (find(o, "Service", "api").spec.ports[0].targetPort = "web"),
        /Service\/api: targetPort "web"/,
      ],
      [
        "Service selector",
        (o) => (find(o, "Service", "redis").spec.selector["app.kubernetes.io/name"] = "rediss"),
        /Service\/redis: its selector selects no pod/,
      ],
      [
        "Secret reference",
        (o) => (find(o, "Deployment", "api").spec.template.spec.volumes[1].secret.secretName = "other"),
        /mounts Secret other, which is not created/,
      ],
      [
        "PVC reference",
        (o) =>
          find(o, "Deployment", "web").spec.template.spec.volumes.push({
            name: "x",
            persistentVolumeClaim: { claimName: "nope" },
          }),
        /uses PVC nope/,
      ],
      [
        "NetworkPolicy",
        (o) =>
          (find(o, "NetworkPolicy", "postgres-from-api").spec.ingress[0].from[0].podSelector.matchLabels[
            "app.kubernetes.io/name"
          ] = "apii"),
        /postgres-from-api: a from.podSelector selects no pod/,
      ],
      [
        "DNS-1123",
        (o) => (find(o, "Service", "web").metadata.name = "Web_UI"),
        /Service\/Web_UI: the name is not a DNS-1123 label/,
      ],
      [
        "secret value",
        (o) =>
          find(o, "Deployment", "api").spec.template.spec.containers[0].env.push({
            name: "X",
            value: `prefix-${"hunter2"}-secret-suffix`,
          }),
        /Deployment\/api: contains a secret value/,
      ],
      [
        "probe on an init container",
        (o) =>
          (find(o, "Deployment", "api").spec.template.spec.initContainers[0].readinessProbe = {
            tcpSocket: { port: 3001 },
          }),
        /Deployment\/api init container migrate: readinessProbe is refused on an init container/,
      ],
      [
        "init container mount",
        (o) => (find(o, "Deployment", "api").spec.template.spec.initContainers[0].volumeMounts[1].name = "secret"),
        /container migrate: volumeMount secret names no volume/,
      ],
      [
        "lower-case scheme",
        (o) => (find(o, "Deployment", "web").spec.template.spec.containers[0].readinessProbe.httpGet.scheme = "http"),
        /scheme must be HTTP or HTTPS/,
      ],
    ];
    for (const [name, mutate, expected] of cases) {
      const objects = clone(await kustomizeObjects());
      mutate(objects);
      const problems = checkObjects(objects, {
        deployTimeSecrets: ["zero-to-running-secrets"],
        secretValues: ["hunter2-secret"],
      }).problems;
      expect(problems.join("\n"), name).toMatch(expected);
    }
  });

  it("the export refuses objects with semantic problems (ZERO_STACK_INVALID, every problem listed)", () => {
    const result = checkObjects([
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "lonely" },
        spec: { selector: { a: "b" }, ports: [{ name: "http", port: 80 }] },
      },
    ]);
    expect(() => result.throwIfAny()).toThrow(
      expect.objectContaining({ code: "ZERO_STACK_INVALID", details: ["Service/lonely: its selector selects no pod"] }),
    );
  });

  it("no secret folder content is ever generated", () => {
    expect(existsSync(join(repoRoot, "infrastructure/k8s/secrets/.gitignore"))).toBe(true);
    expect(readFileSync(join(repoRoot, "infrastructure/k8s/secrets/.gitignore"), "utf8")).toContain("*\n!.gitignore");
  });
});

// No JSON schema of skaffold.yaml is published on npm and Skaffold cannot be installed here: these checks hold
// the file to what Skaffold needs from it (its artifacts are real Dockerfile stages, its manifests the folder).
describe("infrastructure/k8s/skaffold.yaml", () => {
  it("builds the production stages of the images the kustomize folder deploys, and deploys that folder", async () => {
    const { parse } = await import("yaml");
    const skaffold = parse(readFileSync(join(repoRoot, "infrastructure/k8s/skaffold.yaml"), "utf8"));
    expect(skaffold.apiVersion).toBe("skaffold/v4beta11");
    expect(Object.keys(skaffold).sort()).toEqual([
      "apiVersion",
      "build",
      "deploy",
      "kind",
      "manifests",
      "metadata",
      "portForward",
    ]);
    const dockerfile = readFileSync(join(repoRoot, "infrastructure/docker/Dockerfile"), "utf8");
    const kustomization = parse(readFileSync(join(repoRoot, "infrastructure/k8s/kustomization.yaml"), "utf8"));
    expect(skaffold.build.artifacts.map((a: any) => a.image)).toEqual(kustomization.images.map((i: any) => i.name));
    for (const artifact of skaffold.build.artifacts) {
      expect(dockerfile).toContain(` AS ${artifact.docker.target}\n`);
      expect(existsSync(join(repoRoot, "infrastructure/k8s", artifact.context, artifact.docker.dockerfile))).toBe(true);
    }
    expect(skaffold.manifests.kustomize.paths).toEqual(["."]);
  });
});

describe("skaffold.yaml file sync from watch rules", () => {
  it("turns a sync rule of a built service into Skaffold's manual sync, and leaves restart rules to its rebuild", () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-skaffold-"));
    writeFileSync(
      join(dir, "stack.yaml"),
      `name: demo
profiles: { full: { description: all } }
services:
  docs:
    kind: image
    profiles: [full]
    native: skip
    ports: { http: 8080 }
    container: { build: { target: docs } }
    watch:
      - { path: "site/**/*.html", action: sync, target: /usr/share/nginx/html }
      - { path: site/nginx.conf, action: restart }
`,
    );
    const skaffold = parse(skaffoldFile(readStackFile(join(dir, "stack.yaml"))).text);
    expect(skaffold.build.artifacts[0].sync).toEqual({
      manual: [{ src: "site/**/*.html", dest: "/usr/share/nginx/html", strip: "site/" }],
    });
  });
});
