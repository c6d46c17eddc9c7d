import type { Readable } from "node:stream";

/**
 * Everything zero asks of Docker, in one interface: the compose runtime, its control server and the Kubernetes
 * runtime's image builds are handed one (injected), never run `docker` themselves. docker-cli.ts is the real one (the
 * docker command line, Compose v2 or v1); fake-docker.ts answers from memory for unit tests of pure logic.
 */
export interface DockerClient {
  /** `docker version`: the server's version on stdout, or what went wrong (code ENOENT: no docker command). */
  serverVersion(options?: { timeoutMs?: number }): Promise<DockerResult>;
  /** Which Compose is installed: 2 for the `docker compose` plugin (preferred), 1 for `docker-compose`, else undefined. */
  composeVersion(): Promise<ComposeVersion | undefined>;
  /** `compose up --no-start --build --remove-orphans`: builds what changed and creates the containers, started by zero. */
  composeCreate(project: ComposeProject): Promise<DockerResult>;
  /** `compose down --remove-orphans` (with `volumes`: the named volumes too). */
  composeDown(project: ComposeProject, options: { volumes: boolean }): Promise<DockerResult>;

  /** The ids of a Compose project's containers, running or not (by Compose's project label); none when Docker fails. */
  projectContainerIds(project: string): Promise<string[]>;
  /** `docker inspect` of containers, in Docker's own JSON; undefined when one of them is gone. */
  inspect(ids: string[]): Promise<InspectedContainer[] | undefined>;
  /** One `docker stats` sample of running containers, as Docker prints it ("0.52%", "12.5MiB / 1.944GiB"). */
  stats(ids: string[]): Promise<StatsSample[]>;
  start(id: string): Promise<DockerResult>;
  stop(id: string): Promise<DockerResult>;
  restart(id: string): Promise<DockerResult>;
  /** A container's log so far (stdout and stderr apart). */
  logs(id: string, options: LogOptions): Promise<DockerResult>;
  /** New log lines with their timestamps as they come, until the container stops or the signal aborts. */
  followLogs(id: string, options: LogOptions, signal: AbortSignal): LogFollow;
  /** Project events (container create, start, die, health_status...) as they come, until the signal aborts. */
  events(
    project: string,
    actions: string[],
    signal: AbortSignal,
    onEvent: (event: ContainerEvent) => void,
  ): Promise<void>;
  /** A command in a running container, its output captured (or line by line with `onLine`, or into a file). */
  exec(id: string, command: string[], io?: ExecIo): Promise<DockerResult>;
  /** A command in a running container with this process's terminal (`zero exec`); resolves with its exit code. */
  execAttached(id: string, command: string[]): Promise<number>;
  /** `docker cp` of a host file into a container. */
  copyInto(hostPath: string, id: string, containerPath: string): Promise<DockerResult>;

  /** The names of a Compose project's volumes. */
  projectVolumes(project: string): Promise<string[]>;
  removeVolumes(names: string[]): Promise<DockerResult>;

  /** Image builds for a cluster; `onCommand` hears each command line before it runs (so a slow build says what it does). */
  build(build: ImageBuild, onCommand?: (command: string) => void): Promise<DockerResult>;
  /** The image's content id (sha256:...), or "" when there is no such image. */
  imageId(reference: string): Promise<string>;
  tag(source: string, target: string, onCommand?: (command: string) => void): Promise<DockerResult>;
  push(reference: string, onCommand?: (command: string) => void): Promise<DockerResult>;
}

/** A docker command's outcome: its exit code (none when it could not start: `code` says why) and its output as text. */
export interface DockerResult {
  exitCode?: number;
  code?: string;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as printed. */
  all: string;
}

export type ComposeVersion = 1 | 2;

/** One Compose project as zero runs it: its name, the file it is created from, the checkout it builds from. */
export interface ComposeProject {
  name: string;
  file: string;
  root: string;
  version: ComposeVersion;
  /** The secrets the file refers to (`${ZERO_SECRET_…}`), by variable: given to Compose's environment, never written. */
  secrets: Record<string, string>;
}

/** The fields of `docker inspect` zero reads. */
export interface InspectedContainer {
  Id: string;
  RestartCount: number;
  Config: { Labels: Record<string, string> };
  Mounts: { Type: string; Name?: string }[];
  State: {
    Status: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
    ExitCode: number;
    StartedAt: string;
    Pid: number;
    Health?: { Status: "starting" | "healthy" | "unhealthy"; Log?: { Start: string; End: string; Output: string }[] };
  };
}

export interface StatsSample {
  id: string;
  cpu: string;
  memory: string;
}

export interface LogOptions {
  /** Each line starts with Docker's RFC 3339 time (always so when followed). */
  timestamps?: boolean;
  tail?: number;
  /** An RFC 3339 time or Docker's "seconds.nanoseconds". */
  since?: string;
}

/** A followed log: its lines (stdout and stderr, each with Docker's timestamp first) and when it ends. */
export interface LogFollow {
  output: Readable;
  done: Promise<unknown>;
}

/** A container event: its action and the Compose service of the container. */
export interface ContainerEvent {
  action: string;
  service: string;
}

export interface ExecIo {
  /** Keep stdin open (`docker exec -i`), for `input` or `inputFile`. */
  interactive?: boolean;
  input?: string | Uint8Array;
  inputFile?: string;
  stdoutFile?: string;
  /** Each output line (stdout and stderr) as it comes. */
  onLine?: (line: string) => void;
}

export interface ImageBuild {
  dockerfile: string;
  target: string;
  buildArgs: Record<string, string>;
  tag: string;
  /** The build context, also the folder the command runs in. */
  context: string;
}
