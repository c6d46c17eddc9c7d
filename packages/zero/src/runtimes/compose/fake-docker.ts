import type { DockerRun } from "./docker.js";

/**
 * A FAKE of a protocol boundary (the docker command line and the engine behind it), for unit tests of the compose
 * runtime's logic without a daemon, as tilt (internal/dockercompose/fake_client.go) and testcontainers do. It keeps
 * containers in memory and answers `ps`, `inspect`, `stats`, `start`, `stop`, `restart` and `logs` in Docker's own
 * output formats; any other command fails, so a test never passes by accident. Real Docker runs the compose e2e.
 */
export interface FakeContainer {
  id: string;
  project: string;
  service: string;
  status: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
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

export interface FakeDocker {
  run: DockerRun;
  containers: FakeContainer[];
  /** Every command run, as "docker <args>". */
  calls: string[];
}

export function createFakeDocker(containers: FakeContainer[]): FakeDocker {
  const calls: string[] = [];
  const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: "" });
  const fail = (stderr: string) => ({ exitCode: 1, stdout: "", stderr });
  const find = (ids: string[]) => ids.map((id) => containers.find((c) => c.id === id || c.id.startsWith(id)));

  const answer = (args: string[]) => {
    const [command, ...rest] = args;
    const ids = operands(rest);
    switch (command) {
      case "ps": {
        const label = /^label=com\.docker\.compose\.project=(.+)$/.exec(rest[rest.indexOf("--filter") + 1] ?? "")?.[1];
        return ok(
          `${containers
            .filter((c) => c.project === label)
            .map((c) => c.id)
            .join("\n")}\n`,
        );
      }
      case "inspect": {
        const found = find(ids);
        if (found.some((c) => !c)) return fail(`Error: No such object: ${ids[found.indexOf(undefined)]}`);
        return ok(JSON.stringify(found.map((c) => inspected(c!))));
      }
      case "stats": {
        const found = find(ids).filter((c) => c?.status === "running");
        return ok(found.map((c) => `${c!.id}\t${c!.cpu ?? "0.00%"}\t${c!.memory ?? "0B / 0B"}\n`).join(""));
      }
      case "start":
      case "stop":
      case "restart": {
        const [container] = find(ids);
        if (!container) return fail(`Error response from daemon: No such container: ${ids[0]}`);
        if (command === "stop") Object.assign(container, { status: "exited", exitCode: 0 });
        else Object.assign(container, { status: "running", startedAt: new Date().toISOString() });
        return ok(`${ids[0]}\n`);
      }
      case "logs": {
        const [container] = find(ids);
        if (!container) return fail(`Error response from daemon: No such container: ${ids[0]}`);
        const tail = rest.includes("--tail") ? Number(rest[rest.indexOf("--tail") + 1]) : undefined;
        const lines = container.logs ?? [];
        return ok(
          lines
            .slice(tail === undefined ? 0 : -tail || lines.length)
            .map((line) => `${line}\n`)
            .join(""),
        );
      }
      default:
        return fail(`fake docker: "${args.join(" ")}" is not faked; add it to fake-docker.ts`);
    }
  };

  return {
    containers,
    calls,
    run: async (args) => {
      calls.push(`docker ${args.join(" ")}`);
      return answer(args);
    },
  };
}

/** The arguments that are not options nor an option's value (the container ids). */
function operands(args: string[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < args.length; index++) {
    if (WITH_VALUE.has(args[index]!)) index++;
    else if (!args[index]!.startsWith("-")) found.push(args[index]!);
  }
  return found;
}
const WITH_VALUE = new Set(["--filter", "--format", "--tail", "--since"]);

/** One container in `docker inspect`'s format (the fields zero reads). */
function inspected(container: FakeContainer) {
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
