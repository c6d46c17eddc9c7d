import { execa } from "execa";
import type { Project } from "../../config/project.js";
import type { DockerClient, DockerResult } from "../../docker/docker-client.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { EventSink } from "../../orchestrate/events.js";
import type { ContainerFacts } from "./render/container-facts.js";
import { localImage } from "./render/image-names.js";

/** How built images reach a cluster, from its context's name. */
export type ImageRoute =
  | { kind: "shared" } // Rancher Desktop, Docker Desktop: the cluster uses Docker's image store
  | { kind: "load"; command: (image: string) => string[] } // kind, k3d, minikube: loaded into the nodes
  | { kind: "registry"; registry: string } // anything else: pushed, tagged by content
  | { kind: "missing" };

export function imageRoute(context: string, registry: string | undefined): ImageRoute {
  if (registry) return { kind: "registry", registry: registry.replace(/\/+$/, "") };
  if (context === "rancher-desktop" || context === "docker-desktop") return { kind: "shared" };
  if (context.startsWith("kind-"))
    return { kind: "load", command: (image) => ["kind", "load", "docker-image", image, "--name", context.slice(5)] };
  if (context.startsWith("k3d-"))
    return { kind: "load", command: (image) => ["k3d", "image", "import", image, "--cluster", context.slice(4)] };
  if (context === "minikube") return { kind: "load", command: (image) => ["minikube", "image", "load", image] };
  return { kind: "missing" };
}

/**
 * Builds the production stage of each built image and makes the cluster able to run it; returns the image
 * reference per service. ZERO_K8S_BUILD=0 skips all of it (images already there, or CI without Docker).
 */
export async function prepareImages(
  project: Project,
  context: string,
  facts: ContainerFacts[],
  onEvent: EventSink,
  docker: DockerClient,
): Promise<Record<string, string>> {
  const built = facts.filter((f) => f.image.built);
  const registry = project.variables.values.ZERO_IMAGE_REGISTRY || undefined;
  const refs: Record<string, string> = Object.fromEntries(
    built.map((f) => [f.name, `${registry ? `${registry}/` : ""}${localImage(f)}`]),
  );
  if (project.variables.values.ZERO_K8S_BUILD === "0" || built.length === 0) return refs;
  const route = imageRoute(context, registry);
  if (route.kind === "missing") {
    throw new ZeroError(
      "ZERO_CONFIG_INVALID",
      `The cluster of context "${context}" cannot see locally built images, and ZERO_IMAGE_REGISTRY is not set.`,
      {
        why: "Remote clusters pull images from a registry; only Rancher Desktop, Docker Desktop, kind, k3d and minikube can use images built here.",
        next: "Set ZERO_IMAGE_REGISTRY=<registry>/<path> (you must be logged in with docker login), or ZERO_K8S_BUILD=0 if the images are already in the cluster.",
      },
    );
  }
  // Each command is said before it runs (a build takes minutes), and named if it fails.
  let ran = "";
  const say = (command: string) => {
    ran = command;
    onEvent({ type: "note", message: `$ ${command}` });
  };
  const check = (result: DockerResult) => succeeded(project, ran, result); // after the command: `ran` names it
  for (const f of built) {
    const local = localImage(f);
    const build = {
      dockerfile: "infrastructure/docker/Dockerfile",
      target: f.image.target!,
      buildArgs: f.image.buildArgs ?? {},
      tag: local,
      context: project.root,
    };
    check(await docker.build(build, say));
    if (route.kind === "load") await run(project, onEvent, route.command(local));
    if (route.kind === "registry") {
      // A tag from the image's content: a rebuilt image gets a new tag, so the rollout picks it up.
      const id = await docker.imageId(local);
      const remote = `${route.registry}/${f.image.reference}:${id.replace(/^sha256:/, "").slice(0, 12)}`;
      check(await docker.tag(local, remote, say));
      check(await docker.push(remote, say));
      refs[f.name] = remote;
    }
  }
  return refs;
}

/** Runs one command of the cluster's own tool (kind, k3d, minikube), says which, and fails with its own output. */
async function run(project: Project, onEvent: EventSink, command: string[]): Promise<void> {
  onEvent({ type: "note", message: `$ ${command.join(" ")}` });
  const result = await execa(command[0]!, command.slice(1), { cwd: project.root, reject: false, all: true });
  succeeded(project, command.join(" "), { ...result, all: result.all ?? String(result.message) });
}

/** Fails with the command's own last lines when it did not succeed. */
function succeeded(project: Project, command: string, result: Pick<DockerResult, "exitCode" | "all">): void {
  if (result.exitCode !== 0) {
    throw new ZeroError(
      "ZERO_SERVICE_FAILED",
      `\`${command.split(" ").slice(0, 3).join(" ")}\` failed (exit code ${result.exitCode ?? "none"}).`,
      {
        details: project.mask(result.all).split("\n").filter(Boolean).slice(-20),
        next: "Fix what the output above says (a failed build step names its line of the Dockerfile), then `make deploy` again.",
      },
    );
  }
}
