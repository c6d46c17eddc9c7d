import type { ComposeVersion, DockerClient, DockerResult } from "../../docker/docker-client.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { PrerequisiteCheck } from "../runtime.js";

const DOCS = "docs/runtimes.md#docker";

/** Checks that Docker answers and finds Compose (v2 preferred); each failure names its fix. */
export async function findCompose(docker: DockerClient): Promise<ComposeVersion> {
  await assertDockerReady(docker);
  const version = await docker.composeVersion();
  if (version) return version;
  throw new ZeroError("ZERO_PREREQ_MISSING", "Docker is running, but Docker Compose is not installed.", {
    why: "runtime=compose drives the stack with `docker compose` (v2) or `docker-compose` (v1).",
    next: "Install the Compose plugin (Debian/Ubuntu: apt-get install docker-compose-plugin, or docker-compose for v1; Docker Desktop has it), or use the native runtime: `make dev`.",
    details: [`See ${DOCS}.`],
  });
}

/** Docker answers: enough for status and logs, which use only the docker command (not Compose, whose v1 takes ~0.6 s to say its version). */
export async function assertDockerReady(docker: DockerClient): Promise<void> {
  const problem = dockerProblem(await docker.serverVersion());
  if (problem) throw problem;
}

/** `zero doctor`'s Docker line: optional (compose only), its fix the same diagnosis as a failed `make dev runtime=compose`. */
export async function dockerCheck(docker: DockerClient): Promise<PrerequisiteCheck> {
  const result = await docker.serverVersion({ timeoutMs: 5000 });
  const problem = dockerProblem(result);
  if (!problem)
    return { name: "docker", ok: true, required: false, detail: result.stdout.split("\n")[0]!.slice(0, 80) };
  return {
    name: "docker",
    ok: false,
    required: false,
    detail: problem.message,
    fix: `only for runtime=compose: ${problem.next}`,
  };
}

/** What is wrong, judged from `docker version`'s result: not installed, no daemon, or no permission. */
export function dockerProblem(
  result: Pick<DockerResult, "exitCode" | "code" | "stdout" | "stderr">,
): ZeroError | undefined {
  if (result.exitCode === 0) return undefined;
  if (result.code === "ENOENT") {
    return new ZeroError("ZERO_PREREQ_MISSING", "Docker is not installed (no `docker` command).", {
      why: "runtime=compose runs the stack in Docker containers.",
      next: "Install Docker Engine (Debian/Ubuntu: apt-get install docker.io docker-compose) or Docker Desktop, or use the native runtime, which needs no Docker: `make dev`.",
    });
  }
  const output = `${result.stderr}\n${result.stdout}`;
  if (/permission denied/i.test(output)) {
    return new ZeroError("ZERO_DOCKER_UNAVAILABLE", "You may not use the Docker daemon's socket (permission denied).", {
      why: "Talking to Docker Engine needs root or membership of the docker group.",
      next: "Add yourself to the group and log in again: sudo usermod -aG docker $USER (then `newgrp docker`), or use the native runtime: `make dev`.",
      details: [firstLine(output)],
    });
  }
  return new ZeroError("ZERO_DOCKER_UNAVAILABLE", "The Docker daemon is not running.", {
    why: "The docker command is installed, but nothing answers on its socket.",
    next: "Start Docker Desktop, or the engine: sudo systemctl start docker (without systemd: sudo dockerd &). Then `make dev runtime=compose` again.",
    details: [firstLine(output)],
  });
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
