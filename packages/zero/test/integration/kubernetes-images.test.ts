// Which commands `make deploy` runs to get the api and web images into each kind of cluster. The real
// prepareImages runs here, but `docker`, `kind`, `k3d` and `minikube` are FAKE programs on PATH that record
// their arguments (and `docker image inspect` prints a made-up image id): no cluster, registry or image build
// happens. What is NOT tested: that the real tools accept these arguments (a real build, load or push), and
// Rancher Desktop in containerd mode (nerdctl), which zero does not handle.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { DockerCli } from "../../src/docker/docker-cli.js";
import type { StackEvent } from "../../src/orchestrate/events.js";
import { runFacts } from "../../src/runtimes/kubernetes/render/container-facts.js";
import { deployPlan } from "../../src/runtimes/kubernetes/render/deploy-plan.js";
import { prepareImages } from "../../src/runtimes/kubernetes/images.js";
import { repoRoot } from "../helpers/cli.js";

const IMAGE_ID = `sha256:${"0123456789abcdef".repeat(4)}`;
let bin: string;
let calls: string;
let previousPath: string | undefined;

/** A fake program that appends its name and arguments to the calls file; `fail` makes it exit 1 with a message. */
const fakeProgram = (name: string, fail = false) => {
  writeFileSync(
    join(bin, name),
    [
      "#!/bin/sh",
      `echo "${name} $*" >> "${calls}"`,
      fail
        ? 'echo "ERROR: failed to solve: process \\"/bin/sh -c npm ci\\" did not complete successfully: exit code: 1" >&2; exit 1'
        : "",
      name === "docker" ? `[ "$1" = image ] && [ "$2" = inspect ] && echo "${IMAGE_ID}"` : "",
      "exit 0",
      "",
    ].join("\n"),
  );
  chmodSync(join(bin, name), 0o755);
};

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), "zero-fake-tools-"));
  calls = join(bin, "calls.log");
  writeFileSync(calls, "");
  for (const name of ["docker", "kind", "k3d", "minikube"]) fakeProgram(name);
  previousPath = process.env.PATH;
  process.env.PATH = `${bin}:${process.env.PATH}`;
});
afterEach(() => {
  process.env.PATH = previousPath;
});

const prepare = async (context: string, env: Record<string, string> = {}) => {
  const project = loadProject({
    cwd: repoRoot,
    profile: "test",
    runtime: "kubernetes",
    env: { ZERO_HOME: mkdtempSync(join(tmpdir(), "zero-k8s-images-")), ...env },
  });
  const events: StackEvent[] = [];
  const result = await prepareImages(project, context, runFacts(project), (e) => events.push(e), new DockerCli()).then(
    (refs) => ({ refs, error: undefined }),
    (error) => ({ refs: undefined, error }),
  );
  const ran = readFileSync(calls, "utf8").trim().split("\n").filter(Boolean);
  const said = events.filter((e) => e.type === "note").map((e) => (e as { message: string }).message);
  return { ...result, ran, said, project };
};

const BUILD_API = "docker build -q -f infrastructure/docker/Dockerfile --target api -t zero-to-running-api:local .";
const BUILD_WEB = "docker build -q -f infrastructure/docker/Dockerfile --target web -t zero-to-running-web:local .";

describe("images per kind of cluster (fake docker/kind/k3d/minikube on PATH)", () => {
  it("Docker Desktop and Rancher Desktop share Docker's image store: build only, the local tag", async () => {
    for (const context of ["docker-desktop", "rancher-desktop"]) {
      writeFileSync(calls, "");
      const { ran, refs, said } = await prepare(context);
      expect(ran.map((r) => r.replace(/ --build-arg \S+/g, ""))).toEqual([BUILD_API, BUILD_WEB]);
      expect(refs).toEqual({ api: "zero-to-running-api:local", web: "zero-to-running-web:local" });
      expect(said[0]).toMatch(/^\$ docker build -q -f infrastructure\/docker\/Dockerfile --target api/); // says which command ran
    }
  });

  it("kind, k3d and minikube: build, then load each image into the cluster's nodes, with the cluster's name", async () => {
    const kind = await prepare("kind-zero");
    expect(kind.ran.filter((r) => !r.startsWith("docker"))).toEqual([
      "kind load docker-image zero-to-running-api:local --name zero",
      "kind load docker-image zero-to-running-web:local --name zero",
    ]);
    expect(kind.ran[0]).toMatch(/^docker build .*--target api/); // built before it is loaded
    writeFileSync(calls, "");
    expect((await prepare("k3d-dev")).ran.filter((r) => !r.startsWith("docker"))).toEqual([
      "k3d image import zero-to-running-api:local --cluster dev",
      "k3d image import zero-to-running-web:local --cluster dev",
    ]);
    writeFileSync(calls, "");
    const minikube = await prepare("minikube");
    expect(minikube.ran.filter((r) => !r.startsWith("docker"))).toEqual([
      "minikube image load zero-to-running-api:local",
      "minikube image load zero-to-running-web:local",
    ]);
    expect(minikube.said).toContain("$ minikube image load zero-to-running-api:local");
  });

  it("a remote cluster with ZERO_IMAGE_REGISTRY: tagged by content (the image id), pushed, and that tag deployed", async () => {
    const registry = "europe-west1-docker.pkg.dev/p/zero";
    const { ran, refs, project } = await prepare("gke_p_europe-west1_zero", { ZERO_IMAGE_REGISTRY: `${registry}/` });
    const tag = IMAGE_ID.slice(7, 19);
    expect(ran.filter((r) => !r.startsWith("docker build"))).toEqual([
      "docker image inspect --format {{.Id}} zero-to-running-api:local",
      `docker tag zero-to-running-api:local ${registry}/zero-to-running-api:${tag}`,
      `docker push -q ${registry}/zero-to-running-api:${tag}`,
      "docker image inspect --format {{.Id}} zero-to-running-web:local",
      `docker tag zero-to-running-web:local ${registry}/zero-to-running-web:${tag}`,
      `docker push -q ${registry}/zero-to-running-web:${tag}`,
    ]);
    expect(refs).toEqual({
      api: `${registry}/zero-to-running-api:${tag}`,
      web: `${registry}/zero-to-running-web:${tag}`,
    });
    // The deploy uses those references: a rebuilt image has a new id, so a new tag, so a new rollout.
    const plan = deployPlan(project, "ns", refs);
    const api = plan.byService.api!.find((o) => o.kind === "Deployment") as {
      spec: { template: { spec: { containers: { image: string }[]; initContainers: { image: string }[] } } };
    };
    expect(api.spec.template.spec.containers[0]!.image).toBe(refs!.api);
    expect(api.spec.template.spec.initContainers[0]!.image).toBe(refs!.api); // the migrations run the same image
  });

  it("a remote cluster without ZERO_IMAGE_REGISTRY is refused before anything runs", async () => {
    const { error, ran } = await prepare("aks-zero");
    expect(error).toMatchObject({ code: "ZERO_CONFIG_INVALID", next: expect.stringMatching(/ZERO_IMAGE_REGISTRY/) });
    expect(ran).toEqual([]);
  });

  it("ZERO_K8S_BUILD=0 runs nothing and deploys the local tags (or the registry's, when set)", async () => {
    const local = await prepare("kind-zero", { ZERO_K8S_BUILD: "0" });
    expect(local.ran).toEqual([]);
    expect(local.refs).toEqual({ api: "zero-to-running-api:local", web: "zero-to-running-web:local" });
    const remote = await prepare("aks-zero", { ZERO_K8S_BUILD: "0", ZERO_IMAGE_REGISTRY: "r.example/zero" });
    expect(remote.refs?.api).toBe("r.example/zero/zero-to-running-api:local");
  });

  it("a failed build stops with the tool's own last lines, and nothing is loaded", async () => {
    fakeProgram("docker", true);
    const { error, ran } = await prepare("kind-zero");
    expect(error).toMatchObject({ code: "ZERO_SERVICE_FAILED", message: "`docker build -q` failed (exit code 1)." });
    expect(error.details.join("\n")).toContain("failed to solve");
    expect(ran.some((r) => r.startsWith("kind"))).toBe(false);
  });
});
