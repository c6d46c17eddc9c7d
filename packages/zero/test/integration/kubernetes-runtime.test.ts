// The kubernetes runtime's apply / wait / fail logic against a PROTOCOL FAKE of the Kubernetes API
// (test/helpers/fake-kube-api.ts), NOT a cluster: no API server can be installed here. The real
// @kubernetes/client-node talks HTTP to it; each test scripts the workloads' status over time as a
// cluster reports it. A real cluster is exercised by kubernetes-cluster.test.ts when ZERO_K8S_CONTEXT is set.
import { mkdtempSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { DockerCli } from "../../src/docker/docker-cli.js";
import type { StackEvent } from "../../src/orchestrate/events.js";
import type { LogLine } from "../../src/runtimes/runtime.js";
import { deploy, type DeployTimings } from "../../src/runtimes/kubernetes/deploy.js";
import { restartService } from "../../src/runtimes/kubernetes/restart-service.js";
import { undeploy } from "../../src/runtimes/kubernetes/undeploy.js";
import { clusterLogs } from "../../src/runtimes/kubernetes/logs.js";
import { connectCluster } from "../../src/runtimes/kubernetes/cluster.js";
import { imageRoute } from "../../src/runtimes/kubernetes/images.js";
import { KubernetesRuntime } from "../../src/runtimes/kubernetes/kubernetes-runtime.js";
import { forwardPorts } from "../../src/runtimes/kubernetes/port-forward.js";
import { clusterStatus } from "../../src/runtimes/kubernetes/status.js";
import { freePort, repoRoot, runZero } from "../helpers/cli.js";
import { FakeKubeApi } from "../helpers/fake-kube-api.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const FAST: DeployTimings = { forward: false, deadlineMs: 20_000, pollMs: 50, pendingGraceMs: 0 };
const NS = "zero-to-running-test";
const PASSWORD = "test-only-postgres-password"; // the test profile's fixed password (stack.yaml)
let api: FakeKubeApi;
let previousKubeconfig: string | undefined;

// ZERO_K8S_BUILD=0: the fake has no nodes to load images into (image routes are tested on their own).
const project = (env: Record<string, string> = { ZERO_K8S_BUILD: "0" }) =>
  loadProject({
    cwd: repoRoot,
    profile: "test",
    runtime: "kubernetes",
    env: { ZERO_HOME: mkdtempSync(join(tmpdir(), "zero-k8s-home-")), ...env },
  });
const run = async (timings = FAST) => {
  const events: StackEvent[] = [];
  const started = Date.now();
  const result = await deploy(project(), (event) => events.push(event), new DockerCli(), timings).then(
    (value) => ({ value, error: undefined }),
    (error) => ({ value: undefined, error }),
  );
  return { ...result, events, ms: Date.now() - started };
};
const crashing = (reason: string, message: string) => ({
  phase: reason === "CrashLoopBackOff" ? "Running" : "Pending",
  containerStatuses: [
    {
      name: "x",
      ready: false,
      restartCount: 3,
      image: "x",
      imageID: "",
      state: { waiting: { reason, message } },
      lastState: reason === "CrashLoopBackOff" ? { terminated: { exitCode: 1, reason: "Error" } } : {},
    },
  ],
});

/** Sends text to a local port and resolves with the first answer (the fake's pods echo). */
const exchange = (port: number, text: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    socket.on("data", (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.on("error", reject);
  });

beforeEach(async () => {
  api = new FakeKubeApi();
  previousKubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = api.kubeconfig(await api.start());
});
afterEach(async () => {
  process.env.KUBECONFIG = previousKubeconfig;
  if (previousKubeconfig === undefined) delete process.env.KUBECONFIG;
  await api.stop();
});

describe("image routes by kube context", () => {
  it("shares Docker's store, loads into kind/k3d/minikube, or pushes to ZERO_IMAGE_REGISTRY", () => {
    expect(imageRoute("rancher-desktop", undefined).kind).toBe("shared");
    expect(imageRoute("docker-desktop", undefined).kind).toBe("shared");
    const kind = imageRoute("kind-zero", undefined);
    expect(kind.kind === "load" && kind.command("zero-to-running-api:local")).toEqual([
      "kind",
      "load",
      "docker-image",
      "zero-to-running-api:local",
      "--name",
      "zero",
    ]);
    const k3d = imageRoute("k3d-dev", undefined);
    expect(k3d.kind === "load" && k3d.command("x:local")).toEqual([
      "k3d",
      "image",
      "import",
      "x:local",
      "--cluster",
      "dev",
    ]);
    expect(imageRoute("gke_project_europe-west1_zero", "europe-west1-docker.pkg.dev/p/zero/")).toEqual({
      kind: "registry",
      registry: "europe-west1-docker.pkg.dev/p/zero",
    });
    expect(imageRoute("aks-zero", undefined).kind).toBe("missing");
  });
});

describe("kubernetes runtime against the protocol fake", () => {
  it("a clean rollout: server-side apply in dependency order, the same live lines, healthy when the pods are Ready", async () => {
    api.script = (name, read) => ({ ready: read >= (name === "postgres" ? 6 : 1) ? 1 : 0 });
    const { error, events } = await run();
    expect(error).toBeUndefined();
    const patches = api.requests.filter((r) => r.startsWith("PATCH"));
    expect(patches[0]).toBe(`PATCH /api/v1/namespaces/${NS}?fieldManager=zero&force=true`);
    expect(patches[1]).toBe(
      `PATCH /api/v1/namespaces/${NS}/secrets/zero-to-running-secrets?fieldManager=zero&force=true`,
    );
    expect(new Set(api.patchTypes)).toEqual(new Set(["application/apply-patch+yaml"]));
    const at = (path: string) => patches.findIndex((p) => p.includes(path));
    expect(at("/statefulsets/postgres")).toBeGreaterThan(at("/networkpolicies/default-deny-ingress"));
    expect(at("/deployments/api")).toBeGreaterThan(at("/statefulsets/postgres"));
    expect(at("/deployments/web")).toBeGreaterThan(at("/deployments/api"));
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "waiting",
        service: "api",
        on: "postgres",
        condition: "healthy",
        reason: "0/1 pods ready",
      }),
    );
    expect(
      events
        .filter((e) => e.type === "healthy")
        .map((e) => (e as { service: string }).service)
        .sort(),
    ).toEqual(["api", "postgres", "redis", "web"]);
    // The password went in the Secret and nowhere else.
    for (const [path, object] of api.objects) {
      if (path.includes("/secrets/"))
        expect(Buffer.from(object.data.postgres_password, "base64").toString()).toBe(PASSWORD);
      else expect(JSON.stringify(object), path).not.toContain(PASSWORD);
    }
    const hash = api.objects.get(`/apis/apps/v1/namespaces/${NS}/deployments/api`).spec.template.metadata.annotations[
      "zero.dev/secrets-hash"
    ];
    expect(hash).toMatch(/^[0-9a-f]{16}$/);

    const rows = await clusterStatus(project());
    expect(rows?.map((r) => `${r.name} ${r.state} ${r.health}`)).toEqual([
      "postgres running healthy",
      "redis running healthy",
      "api running healthy",
      "web running healthy",
    ]);
    // The contract's shape (runtimes/service-status.ts): no local pid for a pod that runs in the cluster.
    expect(rows?.map((r) => r.pid)).toEqual([undefined, undefined, undefined, undefined]);

    const down = await undeploy(project(), () => {});
    expect(down.stopped.sort()).toEqual(["api", "postgres", "redis", "web"]);
    expect([...api.objects.keys()]).toEqual([`/api/v1/namespaces/${NS}`]); // the namespace stays: it holds the PVCs
    // The test profile is ephemeral, so its PVCs go too (other profiles keep them unless volumes=1).
    expect(down.dataRemoved).toBe(true);
    expect(api.requests).toContain(
      `DELETE /api/v1/namespaces/${NS}/persistentvolumeclaims?labelSelector=app.kubernetes.io%2Finstance%3Dzero-to-running`,
    );
  });

  it("a CrashLoopBackOff fails at once with the pod's last log lines and events", async () => {
    api.script = (name) =>
      name === "api"
        ? { ready: 0, pod: crashing("CrashLoopBackOff", "back-off 40s restarting failed container=api") }
        : { ready: 1 };
    api.logs.set("api-0", '{"level":60,"msg":"could not bring the database schema to the latest migration"}\n');
    api.events.push({
      involvedObject: { kind: "Pod", name: "api-0" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container api",
      lastTimestamp: new Date().toISOString(),
    });
    const { error, ms } = await run();
    expect(error).toMatchObject({
      code: "ZERO_SERVICE_FAILED",
      message: expect.stringContaining(
        "api cannot become ready: pod api-0 is in CrashLoopBackOff (last exit code 1, Error)",
      ),
    });
    expect(error.details.join("\n")).toContain("Warning BackOff Pod/api-0: Back-off restarting failed container api");
    expect(error.details.join("\n")).toContain("could not bring the database schema to the latest migration");
    expect(ms).toBeLessThan(FAST.deadlineMs / 2);
  });

  it("migrations: the api pod's migrate init container is waited for, and its failure fails the deploy with its own log lines", async () => {
    const migrating = (state: Record<string, unknown>) => ({
      phase: "Pending",
      initContainerStatuses: [{ name: "migrate", ready: false, restartCount: 0, image: "x", imageID: "", state }],
      containerStatuses: [
        {
          name: "api",
          ready: false,
          restartCount: 0,
          image: "x",
          imageID: "",
          state: { waiting: { reason: "PodInitializing" } },
        },
      ],
    });
    api.script = (name, read) =>
      name !== "api"
        ? { ready: 1 }
        : read < 75 // ~1.5 s of watch ticks: longer than the probe's interval
          ? { ready: 0, pod: migrating({ running: { startedAt: new Date().toISOString() } }) }
          : { ready: 0, pod: migrating({ terminated: { exitCode: 1, reason: "Error" } }) };
    api.logs.set("api-0/api", "the app container never started\n");
    api.logs.set(
      "api-0/migrate",
      '{"level":"fatal","msg":"could not bring the database schema to the latest migration","err":{"message":"relation \\"artists\\" does not exist"}}\n',
    );
    const { error, events } = await run();
    // The pod template that was applied runs dist/migrate.mjs before the API, with the same secrets mounted.
    const spec = api.objects.get(`/apis/apps/v1/namespaces/${NS}/deployments/api`).spec.template.spec;
    expect(spec.initContainers.map((c: any) => [c.name, c.command.join(" ")])).toEqual([
      ["migrate", "node --enable-source-maps dist/migrate.mjs"],
    ]);
    expect(spec.initContainers[0].volumeMounts).toContainEqual({
      name: "secrets",
      mountPath: "/run/secrets",
      readOnly: true,
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "probe-failed",
        service: "api",
        reason: "0/1 pods ready: init container migrate running",
      }),
    );
    expect(error).toMatchObject({
      code: "ZERO_SERVICE_FAILED",
      message: "api cannot become ready: init container migrate of pod api-0 failed (exit code 1, Error).",
    });
    const details = error.details.join("\n");
    expect(details).toContain("Last 1 log lines of container migrate of pod api-0:");
    expect(details).toContain('relation \\"artists\\" does not exist');
    expect(details).not.toContain("never started");
    expect(error.next).toMatch(/migrations failed and were rolled back/);
    expect(
      api.requests.some((r) => r.startsWith(`GET /api/v1/namespaces/${NS}/pods/api-0/log?container=migrate&`)),
    ).toBe(true);
  });

  it("a rotated password: the Secret is re-applied, the pods that mount it get a new hash and roll out, and zero waits for the new pods", async () => {
    const deployWith = async (password: string) => {
      const events: StackEvent[] = [];
      const error = await deploy(
        project({ ZERO_K8S_BUILD: "0", POSTGRES_PASSWORD: password }),
        (e) => events.push(e),
        new DockerCli(),
        FAST,
      ).then(
        () => undefined,
        (e) => e,
      );
      return { error, events };
    };
    const workload = (path: string) => api.objects.get(`/apis/apps/v1/namespaces/${NS}/${path}`);
    const hashOf = (path: string) => workload(path).spec.template.metadata.annotations?.["zero.dev/secrets-hash"];
    const secret = () => api.objects.get(`/api/v1/namespaces/${NS}/secrets/zero-to-running-secrets`);
    api.script = (_, read) => ({ ready: read >= 75 ? 1 : 0 }); // ~1.5 s of watch ticks after each rollout
    expect((await deployWith("first-password-1")).error).toBeUndefined();
    const before = { postgres: hashOf("statefulsets/postgres"), api: hashOf("deployments/api") };
    expect(Buffer.from(secret().data.postgres_password, "base64").toString()).toBe("first-password-1");

    const second = await deployWith("rotated-password-2");
    expect(second.error).toBeUndefined();
    expect(Buffer.from(secret().data.postgres_password, "base64").toString()).toBe("rotated-password-2");
    expect(hashOf("statefulsets/postgres")).not.toBe(before.postgres);
    expect(hashOf("deployments/api")).not.toBe(before.api);
    // A new generation (a rollout) for the pods that mount the Secret; web mounts none and is left alone.
    expect(workload("statefulsets/postgres").metadata.generation).toBe(2);
    expect(workload("deployments/api").metadata.generation).toBe(2);
    expect(workload("deployments/web").metadata.generation).toBe(1);
    // zero waited for the new pods: not ready at first, healthy once they were.
    expect(second.events).toContainEqual(
      expect.objectContaining({ type: "probe-failed", service: "postgres", reason: "0/1 pods ready" }),
    );
    expect(second.events.filter((e) => e.type === "healthy")).toHaveLength(4);
    expect((await clusterStatus(project()))?.map((r) => r.health)).toEqual([
      "healthy",
      "healthy",
      "healthy",
      "healthy",
    ]);
    // The password is in no object but the Secret, and in no line zero printed.
    for (const [path, object] of api.objects)
      if (!path.includes("/secrets/")) expect(JSON.stringify(object)).not.toContain("rotated-password-2");
    expect(JSON.stringify(second.events)).not.toContain("rotated-password-2");
  });

  it("a Secret already in the cluster that zero did not make is used as it is, never overwritten or deleted, and its rotation rolls the pods", async () => {
    const path = `/api/v1/namespaces/${NS}/secrets/zero-to-running-secrets`;
    const platformSecret = (postgres: string, keys = ["postgres_password", "redis_password"]) =>
      api.put(path, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "zero-to-running-secrets",
          namespace: NS,
          labels: { "app.kubernetes.io/managed-by": "external-secrets" },
        },
        type: "Opaque",
        data: Object.fromEntries(
          keys.map((k) => [
            k,
            Buffer.from(k === "postgres_password" ? postgres : "platform-redis-pw").toString("base64"),
          ]),
        ),
      });
    platformSecret("platform-postgres-pw-1");
    const first = await run();
    expect(first.error).toBeUndefined();
    expect(api.requests.some((r) => r.startsWith(`PATCH ${path}`))).toBe(false); // not overwritten
    expect(Buffer.from(api.objects.get(path).data.postgres_password, "base64").toString()).toBe(
      "platform-postgres-pw-1",
    );
    const notes = first.events.filter((e) => e.type === "note").map((e) => (e as { message: string }).message);
    expect(notes).toContain(
      "Using the Secret zero-to-running-secrets that is already in the cluster (managed by external-secrets) as it is: zero does not overwrite a Secret it did not create, so .env's passwords are not sent.",
    );
    expect(notes.join("\n")).toContain("Its postgres_password, redis_password differ(s) from .env's");
    expect(JSON.stringify(first.events)).not.toContain("platform-postgres-pw-1");
    const apiPath = `/apis/apps/v1/namespaces/${NS}/deployments/api`;
    const hash = api.objects.get(apiPath).spec.template.metadata.annotations["zero.dev/secrets-hash"];

    platformSecret("platform-postgres-pw-2"); // the platform team rotates it
    expect((await run()).error).toBeUndefined();
    expect(api.objects.get(apiPath).spec.template.metadata.annotations["zero.dev/secrets-hash"]).not.toBe(hash);
    expect(api.objects.get(apiPath).metadata.generation).toBe(2);

    const down = await undeploy(project(), () => {});
    expect(down.stopped).toHaveLength(4);
    expect(api.objects.has(path)).toBe(true); // not deleted either

    platformSecret("x", ["postgres_password"]);
    const missing = await run();
    expect(missing.error).toMatchObject({
      code: "ZERO_CONFIG_INVALID",
      message: `The Secret zero-to-running-secrets in namespace ${NS} (managed by external-secrets) has no key redis_password.`,
    });
  });

  it("an ImagePullBackOff fails at once and says to build or push the image", async () => {
    api.script = (name) =>
      name === "web"
        ? { ready: 0, pod: crashing("ImagePullBackOff", 'Back-off pulling image "zero-to-running-web:local"') }
        : { ready: 1 };
    const { error } = await run();
    expect(error).toMatchObject({
      code: "ZERO_SERVICE_FAILED",
      message: expect.stringContaining("pod web-0 is in ImagePullBackOff"),
    });
    expect(error.next).toMatch(/ZERO_IMAGE_REGISTRY/);
  });

  it("a PVC that stays Pending fails once the grace period is over, naming the scheduler's reason", async () => {
    const unschedulable = {
      phase: "Pending",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
          lastTransitionTime: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    };
    api.script = (name) => (name === "postgres" ? { ready: 0, pod: unschedulable } : { ready: 1 });
    const { error, events } = await run();
    expect(error).toMatchObject({
      code: "ZERO_SERVICE_FAILED",
      message: expect.stringContaining(
        "pod postgres-0 cannot be scheduled: 0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims",
      ),
    });
    expect(error.next).toMatch(/StorageClass/);
    expect(events.some((e) => e.type === "starting" && e.service === "api")).toBe(false); // its dependent never started
  });

  it("a rollout past its progress deadline fails with ProgressDeadlineExceeded", async () => {
    api.script = (name) =>
      name === "api"
        ? {
            ready: 0,
            conditions: [
              {
                type: "Progressing",
                status: "False",
                reason: "ProgressDeadlineExceeded",
                message: 'ReplicaSet "api-5d8f" has timed out progressing.',
              },
            ],
          }
        : { ready: 1 };
    const { error } = await run();
    expect(error).toMatchObject({
      code: "ZERO_SERVICE_FAILED",
      message: expect.stringContaining("ProgressDeadlineExceeded"),
    });
  });

  it("an RBAC denial (403) stops before any workload, quoting the server", async () => {
    api.forbid = [`PATCH /api/v1/namespaces/${NS}/secrets`];
    const { error } = await run();
    expect(error).toMatchObject({
      code: "ZERO_K8S_FORBIDDEN",
      message: expect.stringContaining(`apply Secret zero-to-running-secrets in namespace ${NS}`),
    });
    expect(error.why).toContain('User "tester" cannot patch resource "secrets"');
    expect(api.requests.some((r) => /statefulsets|deployments/.test(r))).toBe(false);
  });

  it("watches instead of polling: no per-object reads while waiting, and dropped watches are listed and watched again", async () => {
    api.script = (name, read) => ({ ready: read >= (name === "postgres" ? 8 : 2) ? 1 : 0 });
    api.dropWatches = 5; // the first five watches are cut after their first event
    const { error, events } = await run();
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === "healthy")).toHaveLength(4);
    const watches = api.requests.filter((r) => r.includes("watch=true"));
    expect(
      watches.some(
        (r) =>
          r.startsWith(`GET /apis/apps/v1/namespaces/${NS}/statefulsets?`) &&
          r.includes("fieldSelector=metadata.name%3Dpostgres"),
      ),
    ).toBe(true);
    expect(
      watches.some((r) => r.startsWith(`GET /api/v1/namespaces/${NS}/pods?`) && r.includes("labelSelector=")),
    ).toBe(true);
    // 8 watches (workload + pods per service), and one more for each that was cut: listed and watched again.
    expect(watches.length).toBeGreaterThanOrEqual(8 + 5);
    // While waiting, no GET of a single workload (the polling this replaced): only the summary's one per service.
    const reads = api.requests.filter((r) =>
      /^GET \/apis\/apps\/v1\/namespaces\/[^/]+\/(deployments|statefulsets)\/[a-z]+$/.test(r),
    );
    expect(reads.map((r) => r.split("/").at(-1)).sort()).toEqual(["api", "postgres", "redis", "web"]);
  });

  it("port-forwards a local port through the portforward subresource to a Ready pod of the service", async () => {
    expect((await run()).error).toBeUndefined();
    const cluster = await connectCluster(project());
    const local = await freePort();
    const forward = await forwardPorts(cluster, "zero-to-running", [
      { service: "postgres", localPort: local, remotePort: 5432 },
    ]);
    try {
      const answer = await exchange(local, "ping");
      expect(answer).toBe("echo from postgres-0:5432: ping");
      expect(api.requests).toContain(`UPGRADE /api/v1/namespaces/${NS}/pods/postgres-0/portforward?ports=5432`);
    } finally {
      await forward.close();
    }
  });

  it("through the CLI: make deploy's lines and summary, ports forwarded by a detached process, status, down", async () => {
    const env: Record<string, string> = {
      ...(await isolatedEnv(["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"])),
      KUBECONFIG: process.env.KUBECONFIG!,
      ZERO_K8S_BUILD: "0",
    };
    api.script = (name, read) => ({ ready: read >= (name === "postgres" ? 60 : 0) ? 1 : 0 }); // postgres: ~1.2 s of watch ticks
    const up = await runZero(["up", "--runtime", "kubernetes", "--profile", "test"], { cwd: repoRoot, env });
    expect(up.exitCode, up.all).toBe(0);
    expect(up.all).toContain('Kubernetes: context "fake"');
    expect(up.all).toMatch(/api.*waiting for postgres.*0\/1 pods ready/);
    expect(up.all).toContain(`127.0.0.1:${env.POSTGRES_PORT} → postgres`);
    const answer = await exchange(Number(env.POSTGRES_PORT), "select 1");
    expect(answer).toBe("echo from postgres-0:5432: select 1");
    const status = await runZero(["status", "--runtime", "kubernetes", "--profile", "test"], { cwd: repoRoot, env });
    expect(status.exitCode, status.all).toBe(0);
    expect(status.all).toMatch(/postgres\s+running/);
    const down = await runZero(["down", "--runtime", "kubernetes", "--profile", "test"], { cwd: repoRoot, env });
    expect(down.exitCode, down.all).toBe(0);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(env.POSTGRES_PORT), "127.0.0.1", () => resolve(false));
      socket.on("error", () => resolve(true));
    });
    expect(refused).toBe(true); // the forwarder is gone
  }, 60_000);

  it("make dev runtime=kubernetes without any cluster configured fails at once (no wait for a cluster) with ZERO_K8S_UNAVAILABLE (what, why, next)", async () => {
    const env = { ...(await isolatedEnv([])), HOME: mkdtempSync(join(tmpdir(), "zero-no-kube-")), KUBECONFIG: "" };
    const started = Date.now();
    const up = await runZero(["up", "--runtime", "kubernetes", "--profile", "test"], { cwd: repoRoot, env });
    // No hang (~1 s quiet, 3.6 s in CI on a loaded machine); the message below says no cluster was even tried.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(up.exitCode).toBe(4);
    expect(up.all).toContain(
      "ZERO_K8S_UNAVAILABLE: No Kubernetes cluster is configured (no KUBECONFIG, no ~/.kube/config).",
    );
    expect(up.all).toMatch(/Why: .*current kube context/);
    expect(up.all).toMatch(/Next: Start the cluster/);
  });

  it("logs read each service's newest pod with timestamps, masked and merged in time order; restart patches the pod template", async () => {
    expect((await run()).error).toBeUndefined();
    api.logs.set(
      "api-0",
      "2026-11-28T09:00:02.000000000Z listening on 0.0.0.0:3001\n2026-11-28T09:00:03.000000000Z password test-only-redis-password\n",
    );
    api.logs.set("postgres-0", "2026-11-28T09:00:01.000000000Z database system is ready\n");
    const lines: LogLine[] = [];
    await clusterLogs(project(), { follow: false, tail: 10 }, (line) => lines.push(line), new AbortController().signal);
    expect(lines).toEqual([
      { ts: "2026-11-28T09:00:01.000000000Z", service: "postgres", line: "database system is ready" },
      { ts: "2026-11-28T09:00:02.000000000Z", service: "api", line: "listening on 0.0.0.0:3001" },
      { ts: "2026-11-28T09:00:03.000000000Z", service: "api", line: "password ****" },
    ]);
    expect(api.requests).toContain(
      `GET /api/v1/namespaces/${NS}/pods/api-0/log?container=api&tailLines=10&timestamps=true`,
    );
    await restartService(project(), "api");
    const types = api.patchTypes.slice(-1);
    expect(types).toEqual(["application/strategic-merge-patch+json"]);
    expect(
      api.objects.get(`/apis/apps/v1/namespaces/${NS}/deployments/api`).spec.template.metadata.annotations[
        "kubectl.kubernetes.io/restartedAt"
      ],
    ).toMatch(/^\d{4}-/);
  });

  it("logs follow: each service's newest pod's stream (follow=true), new lines as they come, masked, until aborted", async () => {
    expect((await run()).error).toBeUndefined();
    api.logs.set("api-0", "2026-11-28T09:00:02.000000000Z listening on 0.0.0.0:3001\n");
    api.logs.set("redis-0", "2026-11-28T09:00:01.000000000Z Ready to accept connections tcp\n");
    const lines: LogLine[] = [];
    const stop = new AbortController();
    const following = clusterLogs(project(), { follow: true, tail: 5 }, (line) => lines.push(line), stop.signal);
    const until = async (test: () => boolean) => {
      const deadline = Date.now() + 5_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(lines)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => lines.length >= 2);
    api.logs.set(
      "api-0",
      `${api.logs.get("api-0")}2026-11-28T09:00:05.000000000Z GET /health/ready 200\n2026-11-28T09:00:06.000000000Z redis password test-only-redis-password\n`,
    );
    await until(() => lines.length >= 4);
    stop.abort();
    await following; // resolves once aborted
    expect(lines.filter((l) => l.service === "api").map((l) => l.line)).toEqual([
      "listening on 0.0.0.0:3001",
      "GET /health/ready 200",
      "redis password ****",
    ]);
    expect(lines).toContainEqual({
      ts: "2026-11-28T09:00:01.000000000Z",
      service: "redis",
      line: "Ready to accept connections tcp",
    });
    expect(
      api.requests.some(
        (r) => r.startsWith(`GET /api/v1/namespaces/${NS}/pods/api-0/log?`) && r.includes("follow=true"),
      ),
    ).toBe(true);
  });

  it("asks before volumes=1 deletes a shared cluster's PVCs, except for throwaway profiles", () => {
    const runtime = new KubernetesRuntime(new DockerCli());
    expect(runtime.confirmDataRemoval(project())).toBeUndefined(); // test: ephemeral
    expect(runtime.confirmDataRemoval({ ...project(), profile: "full" })).toBe(
      "This deletes the PersistentVolumeClaims (the PostgreSQL and Redis data) of zero-to-running in namespace zero-to-running of the cluster.",
    );
  });

  it("refuses a remote cluster without ZERO_IMAGE_REGISTRY before applying anything", async () => {
    const error = await deploy(project({}), () => {}, new DockerCli(), FAST).catch((e) => e);
    expect(error).toMatchObject({
      code: "ZERO_CONFIG_INVALID",
      message: expect.stringContaining('context "fake" cannot see locally built images'),
    });
    expect(api.requests.filter((r) => r.startsWith("PATCH"))).toEqual([]);
  });

  it("an unreachable API server is ZERO_K8S_UNAVAILABLE within 3 s", async () => {
    await api.stop(); // the kubeconfig now points at a closed port
    const { error, ms } = await run();
    expect(error).toMatchObject({ code: "ZERO_K8S_UNAVAILABLE", message: expect.stringContaining('context "fake"') });
    expect(ms).toBeLessThan(3_000);
  });
});
