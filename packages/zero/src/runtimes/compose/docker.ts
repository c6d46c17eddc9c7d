import { execa, type ResultPromise } from "execa";
import { ZeroError } from "../../errors/zero-error.js";
import type { PrerequisiteCheck } from "../runtime.js";

/** How to call Compose here: v2 is the `docker compose` plugin, v1 the `docker-compose` program. */
export interface ComposeCommand {
  file: string;
  args: string[];
  version: 1 | 2;
}

const DOCS = "docs/runtimes.md#docker";

/** Checks that Docker answers and finds Compose (v2 preferred); each failure names its fix. */
export async function findCompose(): Promise<ComposeCommand> {
  await assertDockerReady();
  if (await succeeds("docker", ["compose", "version"])) return { file: "docker", args: ["compose"], version: 2 };
  if (await succeeds("docker-compose", ["version"])) return { file: "docker-compose", args: [], version: 1 };
  throw new ZeroError("ZERO_PREREQ_MISSING", "Docker is running, but Docker Compose is not installed.", {
    why: "runtime=compose drives the stack with `docker compose` (v2) or `docker-compose` (v1).",
    next: "Install the Compose plugin (Debian/Ubuntu: apt-get install docker-compose-plugin, or docker-compose for v1; Docker Desktop has it), or use the native runtime: `make dev`.",
    details: [`See ${DOCS}.`],
  });
}

/** Docker answers: enough for status and logs, which use only the docker command (not Compose, whose v1 takes ~0.6 s to say its version). */
export async function assertDockerReady(): Promise<void> {
  const problem = dockerProblem(await execa("docker", ["version", "--format", "{{.Server.Version}}"], { reject: false }));
  if (problem) throw problem;
}

/** `zero doctor`'s Docker line: optional (compose only), its fix the same diagnosis as a failed `make dev runtime=compose`. */
export async function dockerCheck(): Promise<PrerequisiteCheck> {
  const result = await execa("docker", ["version", "--format", "{{.Server.Version}}"], { reject: false, timeout: 5000 });
  const problem = dockerProblem(result);
  if (!problem) return { name: "docker", ok: true, required: false, detail: result.stdout.split("\n")[0]!.slice(0, 80) };
  return { name: "docker", ok: false, required: false, detail: problem.message, fix: `only for runtime=compose: ${problem.next}` };
}

/** What is wrong, judged from `docker version`'s result: not installed, no daemon, or no permission. */
export function dockerProblem(result: { exitCode?: number; code?: string; stdout: string; stderr: string }): ZeroError | undefined {
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

/**
 * The Docker boundary as runtime logic sees it: one docker command in, its exit code and output out. `docker` is the
 * real one; fake-docker.ts answers the same way from memory for unit tests.
 */
export type DockerRun = (args: string[], options?: { signal?: AbortSignal }) => Promise<{ exitCode?: number; stdout: string; stderr: string }>;

/** Runs a docker command; its output comes back as text (for the caller to mask before showing). */
export function docker(args: string[], options: { signal?: AbortSignal } = {}): ResultPromise<{ reject: false; cancelSignal?: AbortSignal }> {
  return execa("docker", args, { reject: false, cancelSignal: options.signal });
}

async function succeeds(file: string, args: string[]): Promise<boolean> {
  return (await execa(file, args, { reject: false })).exitCode === 0;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
