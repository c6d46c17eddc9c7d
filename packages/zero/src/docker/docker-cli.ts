import { createInterface } from "node:readline";
import { execa, type Options } from "execa";
import type {
  ComposeProject,
  ComposeVersion,
  ContainerEvent,
  DockerClient,
  DockerResult,
  ExecIo,
  ImageBuild,
  InspectedContainer,
  LogFollow,
  LogOptions,
  StatsSample,
} from "./docker-client.js";

/**
 * The real Docker client: the docker command line, and Compose as the `docker compose` plugin (v2) or the
 * `docker-compose` program (v1). The only file of zero that runs either (test/unit/architecture.test.ts checks).
 */
export class DockerCli implements DockerClient {
  serverVersion(options: { timeoutMs?: number } = {}): Promise<DockerResult> {
    return run(
      "docker",
      ["version", "--format", "{{.Server.Version}}"],
      options.timeoutMs ? { timeout: options.timeoutMs } : {},
    );
  }

  async composeVersion(): Promise<ComposeVersion | undefined> {
    if ((await run("docker", ["compose", "version"])).exitCode === 0) return 2;
    if ((await run("docker-compose", ["version"])).exitCode === 0) return 1;
    return undefined;
  }

  composeCreate(project: ComposeProject): Promise<DockerResult> {
    return compose(project, ["up", "--no-start", "--build", "--remove-orphans"]);
  }

  composeDown(project: ComposeProject, options: { volumes: boolean }): Promise<DockerResult> {
    return compose(project, ["down", "--remove-orphans", ...(options.volumes ? ["--volumes"] : [])]);
  }

  async projectContainerIds(project: string): Promise<string[]> {
    const listed = await run("docker", ["ps", "-aq", "--filter", projectLabel(project)]);
    return listed.exitCode === 0 ? lines(listed.stdout) : [];
  }

  async inspect(ids: string[]): Promise<InspectedContainer[] | undefined> {
    const inspected = await run("docker", ["inspect", ...ids]);
    return inspected.exitCode === 0 ? (JSON.parse(inspected.stdout) as InspectedContainer[]) : undefined;
  }

  async stats(ids: string[]): Promise<StatsSample[]> {
    const result = await run("docker", [
      "stats",
      "--no-stream",
      "--no-trunc",
      "--format",
      "{{.ID}}\t{{.CPUPerc}}\t{{.MemUsage}}",
      ...ids,
    ]);
    return lines(result.stdout).map((line) => {
      const [id, cpu, memory] = line.split("\t") as [string, string, string];
      return { id, cpu, memory };
    });
  }

  start(id: string) {
    return run("docker", ["start", id]);
  }

  stop(id: string) {
    return run("docker", ["stop", id]);
  }

  restart(id: string) {
    return run("docker", ["restart", id]);
  }

  logs(id: string, options: LogOptions): Promise<DockerResult> {
    return run("docker", ["logs", ...logArgs(options), id]);
  }

  followLogs(id: string, options: LogOptions, signal: AbortSignal): LogFollow {
    const child = execa("docker", ["logs", "--follow", ...logArgs({ ...options, timestamps: true }), id], {
      reject: false,
      cancelSignal: signal,
      all: true,
    });
    return { output: child.all, done: child };
  }

  async events(
    project: string,
    actions: string[],
    signal: AbortSignal,
    onEvent: (event: ContainerEvent) => void,
  ): Promise<void> {
    const filters = ["type=container", projectLabel(project), ...actions.map((action) => `event=${action}`)];
    const format = '{{.Action}} {{index .Actor.Attributes "com.docker.compose.service"}}';
    const child = execa(
      "docker",
      ["events", ...filters.flatMap((filter) => ["--filter", filter]), "--format", format],
      {
        reject: false,
        cancelSignal: signal,
      },
    );
    createInterface({ input: child.stdout }).on("line", (line) => {
      const [action = "", service = ""] = line.split(" ");
      onEvent({ action, service });
    });
    await child;
  }

  async exec(id: string, command: string[], io: ExecIo = {}): Promise<DockerResult> {
    const child = execa("docker", ["exec", ...(io.interactive ? ["-i"] : []), id, ...command], {
      reject: false,
      all: Boolean(io.onLine),
      ...(io.input !== undefined ? { input: io.input } : {}),
      ...(io.inputFile ? { inputFile: io.inputFile } : {}),
      ...(io.stdoutFile ? { stdout: { file: io.stdoutFile } } : {}),
    });
    if (io.onLine && child.all) createInterface({ input: child.all }).on("line", io.onLine);
    return result(await child);
  }

  async execAttached(id: string, command: string[]): Promise<number> {
    const tty = process.stdin.isTTY && process.stdout.isTTY ? ["-t"] : [];
    const attached = await execa("docker", ["exec", "-i", ...tty, id, ...command], { stdio: "inherit", reject: false });
    return attached.exitCode ?? 1;
  }

  copyInto(hostPath: string, id: string, containerPath: string): Promise<DockerResult> {
    return run("docker", ["cp", hostPath, `${id}:${containerPath}`]);
  }

  async projectVolumes(project: string): Promise<string[]> {
    return lines((await run("docker", ["volume", "ls", "-q", "--filter", projectLabel(project)])).stdout);
  }

  removeVolumes(names: string[]): Promise<DockerResult> {
    return run("docker", ["volume", "rm", "--force", ...names]);
  }

  build(build: ImageBuild, onCommand?: (command: string) => void): Promise<DockerResult> {
    const args = Object.entries(build.buildArgs).flatMap(([key, value]) => ["--build-arg", `${key}=${value}`]);
    const command = ["build", "-q", "-f", build.dockerfile, "--target", build.target, ...args, "-t", build.tag, "."];
    return announced(command, onCommand, { cwd: build.context });
  }

  async imageId(reference: string): Promise<string> {
    return (await run("docker", ["image", "inspect", "--format", "{{.Id}}", reference])).stdout.trim();
  }

  tag(source: string, target: string, onCommand?: (command: string) => void): Promise<DockerResult> {
    return announced(["tag", source, target], onCommand);
  }

  push(reference: string, onCommand?: (command: string) => void): Promise<DockerResult> {
    return announced(["push", "-q", reference], onCommand);
  }
}

async function run(file: string, args: string[], options: Options = {}): Promise<DockerResult> {
  return result(await execa(file, args, { ...options, reject: false, all: true }));
}

function announced(args: string[], onCommand: ((command: string) => void) | undefined, options: Options = {}) {
  onCommand?.(["docker", ...args].join(" "));
  return run("docker", args, options);
}

/** Compose as found: v2's plugin or v1's program, told the project's name, file and folder the same way. */
function compose(project: ComposeProject, args: string[]): Promise<DockerResult> {
  const [file, ...prefix] = project.version === 2 ? ["docker", "compose"] : ["docker-compose"];
  const command = [
    ...prefix,
    "--project-name",
    project.name,
    "--file",
    project.file,
    "--project-directory",
    project.root,
    ...args,
  ];
  return run(file!, command, { cwd: project.root, env: { ...project.secrets, COMPOSE_PROJECT_NAME: project.name } });
}

function result(done: {
  exitCode?: number;
  code?: string;
  stdout?: unknown;
  stderr?: unknown;
  all?: unknown;
}): DockerResult {
  return {
    exitCode: done.exitCode,
    code: done.code,
    stdout: String(done.stdout ?? ""),
    stderr: String(done.stderr ?? ""),
    all: String(done.all ?? ""),
  };
}

function projectLabel(project: string): string {
  return `label=com.docker.compose.project=${project}`;
}

function logArgs(options: LogOptions): string[] {
  return [
    ...(options.timestamps ? ["--timestamps"] : []),
    ...(options.tail !== undefined ? ["--tail", String(options.tail)] : []),
    ...(options.since ? ["--since", options.since] : []),
  ];
}

function lines(text: string): string[] {
  return text.split("\n").filter(Boolean);
}
