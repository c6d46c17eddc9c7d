import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type {
  ComposeProject,
  ComposeVersion,
  DockerClient,
  DockerResult,
  InspectedContainer,
  LogFollow,
  LogOptions,
  StatsSample,
} from "./docker-client.js";

/**
 * A FAKE of the Docker boundary, for unit tests of pure logic without a daemon, as tilt's
 * internal/dockercompose/fake_client.go is beside its Compose client. It keeps containers and volumes in memory:
 * compose up creates a container per service of the Compose file (and its named volumes), compose down removes them,
 * and inspect, stats, start, stop, restart and logs answer in Docker's own formats. Anything else throws, so a test
 * never passes by accident. Real Docker runs the compose e2e tests.
 */
export class FakeDocker implements DockerClient {
  /** Every call, as "<method> <arguments>". */
  readonly calls: string[] = [];
  /** Which Compose is installed (undefined: none). */
  composeInstalled: ComposeVersion | undefined = 2;
  /** What the next compose up or down prints on failure (exit code 1); undefined: it succeeds. */
  composeFailure: string | undefined;

  constructor(
    readonly containers: FakeContainer[] = [],
    readonly volumes: FakeVolume[] = [],
  ) {}

  async serverVersion(): Promise<DockerResult> {
    this.calls.push("serverVersion");
    return ok("27.5.1\n");
  }

  async composeVersion(): Promise<ComposeVersion | undefined> {
    this.calls.push("composeVersion");
    return this.composeInstalled;
  }

  async composeCreate(project: ComposeProject): Promise<DockerResult> {
    this.calls.push(`composeCreate ${project.name} ${project.file}`);
    if (this.composeFailure) return failed(this.composeFailure);
    const file = parse(readFileSync(project.file, "utf8")) as { services?: object; volumes?: object };
    const services = Object.keys(file.services ?? {});
    // --remove-orphans: containers of services no longer in the file go.
    this.remove((c) => c.project === project.name && !services.includes(c.service));
    for (const service of services) {
      if (this.containers.some((c) => c.project === project.name && c.service === service)) continue;
      this.containers.push({ id: `${project.name}-${service}-1`, project: project.name, service, status: "created" });
    }
    for (const key of Object.keys(file.volumes ?? {})) {
      const name = `${project.name}_${key}`;
      if (!this.volumes.some((v) => v.name === name)) this.volumes.push({ name, project: project.name });
    }
    return ok("");
  }

  async composeDown(project: ComposeProject, options: { volumes: boolean }): Promise<DockerResult> {
    this.calls.push(`composeDown ${project.name}${options.volumes ? " --volumes" : ""}`);
    if (this.composeFailure) return failed(this.composeFailure);
    this.remove((c) => c.project === project.name);
    if (options.volumes)
      this.volumes.splice(0, this.volumes.length, ...this.volumes.filter((v) => v.project !== project.name));
    return ok("");
  }

  async projectContainerIds(project: string): Promise<string[]> {
    this.calls.push(`projectContainerIds ${project}`);
    return this.containers.filter((c) => c.project === project).map((c) => c.id);
  }

  async inspect(ids: string[]): Promise<InspectedContainer[] | undefined> {
    this.calls.push(`inspect ${ids.join(" ")}`);
    const found = ids.map((id) => this.find(id));
    return found.some((c) => !c) ? undefined : found.map((c) => inspected(c!));
  }

  async stats(ids: string[]): Promise<StatsSample[]> {
    this.calls.push(`stats ${ids.join(" ")}`);
    return ids
      .map((id) => this.find(id))
      .filter((c) => c?.status === "running")
      .map((c) => ({ id: c!.id, cpu: c!.cpu ?? "0.00%", memory: c!.memory ?? "0B / 0B" }));
  }

  start(id: string) {
    return this.act("start", id, { status: "running", startedAt: new Date().toISOString() });
  }

  stop(id: string) {
    return this.act("stop", id, { status: "exited", exitCode: 0 });
  }

  restart(id: string) {
    return this.act("restart", id, { status: "running", startedAt: new Date().toISOString() });
  }

  async logs(id: string, options: LogOptions): Promise<DockerResult> {
    this.calls.push(`logs ${id}`);
    const container = this.find(id);
    if (!container) return failed(`Error response from daemon: No such container: ${id}`);
    const lines = container.logs ?? [];
    const shown = options.tail === undefined ? lines : options.tail === 0 ? [] : lines.slice(-options.tail);
    return ok(shown.map((line) => `${line}\n`).join(""));
  }

  async projectVolumes(project: string): Promise<string[]> {
    this.calls.push(`projectVolumes ${project}`);
    return this.volumes.filter((v) => v.project === project).map((v) => v.name);
  }

  async removeVolumes(names: string[]): Promise<DockerResult> {
    this.calls.push(`removeVolumes ${names.join(" ")}`);
    this.volumes.splice(0, this.volumes.length, ...this.volumes.filter((v) => !names.includes(v.name)));
    return ok("");
  }

  followLogs(): LogFollow {
    return notFaked("followLogs");
  }
  events(): Promise<void> {
    return notFaked("events");
  }
  exec(): Promise<DockerResult> {
    return notFaked("exec");
  }
  execAttached(): Promise<number> {
    return notFaked("execAttached");
  }
  copyInto(): Promise<DockerResult> {
    return notFaked("copyInto");
  }
  build(): Promise<DockerResult> {
    return notFaked("build");
  }
  imageId(): Promise<string> {
    return notFaked("imageId");
  }
  tag(): Promise<DockerResult> {
    return notFaked("tag");
  }
  push(): Promise<DockerResult> {
    return notFaked("push");
  }

  private find(id: string): FakeContainer | undefined {
    return this.containers.find((c) => c.id === id || c.id.startsWith(id));
  }

  private async act(action: string, id: string, change: Partial<FakeContainer>): Promise<DockerResult> {
    this.calls.push(`${action} ${id}`);
    const container = this.find(id);
    if (!container) return failed(`Error response from daemon: No such container: ${id}`);
    Object.assign(container, change);
    return ok(`${id}\n`);
  }

  private remove(which: (container: FakeContainer) => boolean): void {
    this.containers.splice(0, this.containers.length, ...this.containers.filter((c) => !which(c)));
  }
}

export interface FakeContainer {
  id: string;
  project: string;
  service: string;
  status: InspectedContainer["State"]["Status"];
  exitCode?: number;
  startedAt?: string;
  restarts?: number;
  /** Named and unnamed (64 hex digits) volumes mounted. */
  volumes?: string[];
  health?: { status: "starting" | "healthy" | "unhealthy"; log?: { start: string; end: string; output: string }[] };
  /** As `docker stats` prints them: "0.52%", "12.5MiB / 1.944GiB". */
  cpu?: string;
  memory?: string;
  logs?: string[];
}

/** A volume; `project` is its Compose project label (none for an unnamed volume). */
export interface FakeVolume {
  name: string;
  project?: string;
}

function ok(stdout: string): DockerResult {
  return { exitCode: 0, stdout, stderr: "", all: stdout };
}

function failed(stderr: string): DockerResult {
  return { exitCode: 1, stdout: "", stderr, all: stderr };
}

function notFaked(method: string): never {
  throw new Error(`fake docker: ${method} is not faked; add it to docker/fake-docker.ts`);
}

/** One container in `docker inspect`'s format (the fields zero reads). */
function inspected(container: FakeContainer): InspectedContainer {
  return {
    Id: container.id,
    RestartCount: container.restarts ?? 0,
    Config: {
      Labels: { "com.docker.compose.project": container.project, "com.docker.compose.service": container.service },
    },
    Mounts: (container.volumes ?? []).map((name) => ({ Type: "volume", Name: name })),
    State: {
      Status: container.status,
      ExitCode: container.exitCode ?? 0,
      StartedAt: container.startedAt ?? "0001-01-01T00:00:00Z",
      // The host's pid of the container's main process while it runs (Docker says 0 otherwise).
      Pid: container.status === "running" ? 4242 : 0,
      ...(container.health
        ? {
            Health: {
              Status: container.health.status,
              Log: (container.health.log ?? []).map((l) => ({ Start: l.start, End: l.end, Output: l.output })),
            },
          }
        : {}),
    },
  };
}
