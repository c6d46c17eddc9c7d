import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { Project } from "../../config/project.js";
import { diagnose } from "../../errors/tool-failure.js";
import { ZeroError } from "../../errors/zero-error.js";
import { checkOnce } from "../../health/check-once.js";
import { probeFor } from "../../health/probes.js";
import type { EventSink } from "../../orchestrate/events.js";
import { kindOf } from "../../kinds/index.js";
import { startAll, type ServiceDriver } from "../../orchestrate/start-all.js";
import { assertPortsFree } from "../../ports/check.js";
import { portVariable } from "../../stack/load.js";
import type { Service } from "../../stack/schema.js";
import { statusOf } from "../service-status.js";
import { preparingDatabase, startupDatabase } from "../../database/startup.js";
import { templateSnapshots } from "../../database/template-snapshots.js";
import type { ActionOutcome, DownOptions, DownResult, LogLine, LogQuery, Runtime, RuntimeCapabilities, ServiceStatus, UpResult } from "../runtime.js";
import { secretEnvValues, secretValues } from "../../containers/index.js";
import { composeForRun, composeSecretEnvironment, composeTemplate, writableMountFolders } from "./compose-file.js";
import { containerRecord, containerUsage, projectContainers, type Container } from "./containers.js";
import { assertDockerReady, docker, dockerCheck, findCompose, type ComposeCommand } from "./docker.js";
import { readContainerLogs, followContainerLogs } from "./logs.js";
import { profileSlug } from "../../stack/profiles.js";
import { composeRecordPath, readComposeRecord, removeComposeRecord, writeComposeRecord } from "./run-record.js";
import { actOnService } from "../../control/act-on-service.js";
import { controlMountDir, controlServerClient, prepareControl, startControlServer, stopControlServer } from "./control/control-process.js";

const DEADLINE_MS = 120_000;

/** Runs the stack in Docker containers with Compose, from a file generated from stack.yaml for this run. */
export class ComposeRuntime implements Runtime {
  readonly name = "compose";
  readonly refusesPlaceholderSecrets = true;
  readonly prerequisites = async () => [await dockerCheck()];
  readonly capabilities: RuntimeCapabilities = {
    status: (project) => this.status(project),
    logs: (project, query, onLine, signal) => this.logs(project, query, onLine, signal),
    // Kept by the compose control server, which the API's exporter reaches over its socket (apps/api/tracing).
    traces: (project) => controlServerClient(project),
    // Through the compose control server's per-service queue, as the dashboard's and watch rules' actions: two at
    // once for one service join or wait, never two `docker restart` of one container at a time.
    restart: (project, service) => this.act(project, service, "restart"),
    stop: (project, service) => this.act(project, service, "stop"),
    start: (project, service) => this.act(project, service, "start"),
    exec: (project, service, command) => this.exec(project, service, command),
    // pg_dump / pg_restore through the PostgreSQL container; loaded on first use (the database tools).
    backup: {
      create: async (project, target, note) =>
        (await import("./backup.js")).createComposeBackup(project, await this.containers(project), target, note),
      list: async (project) => (await import("../../backups/store.js")).listBackups(project),
    },
    restore: async (project, target, file, note) =>
      (await import("./backup.js")).restoreComposeBackup(project, await this.containers(project), target, file, note),
    // The native template copies, unchanged: the container publishes PostgreSQL on a loopback port and the password
    // is in .env, so the same SQL reaches the server in the container (restore points and branch_data with them).
    snapshots: templateSnapshots,
    export: [
      {
        format: "compose",
        description: "docker-compose.yml",
        make: "make compose-file",
        files: async (file) => [{ path: "docker-compose.yml", text: composeTemplate(file) }],
      },
    ],
  };

  dataLocation(): string {
    return "the stack's Docker volumes";
  }

  recordIn(home: string): string | undefined {
    return readComposeRecord(home) ? composeRecordPath(home) : undefined;
  }

  async up(project: Project, onEvent: EventSink): Promise<UpResult> {
    const compose = await findCompose();
    const name = composeProjectName(project);
    const before = await projectContainers(name);
    const wanted = Object.keys(project.stack.services);
    const running = new Set(before.filter((c) => c.status === "running").map((c) => c.service));
    if (wanted.every((service) => running.has(service)) && before.every((c) => wanted.includes(c.service))) {
      await startControlServer(project, name); // if it died: the dashboard's view of Docker
      writeComposeRecord(project.home, { projectName: name, file: join(project.home, "compose", "docker-compose.yml") });
      return { alreadyRunning: true, services: await this.statuses(project, before, false) };
    }
    // Ports our own running containers publish are ours; any other holder is a conflict.
    const free = Object.fromEntries(Object.entries(project.stack.services).filter(([service]) => !running.has(service)));
    await assertPortsFree(free, (claim) => portVariable(project.stackFile, claim.service, claim.name));

    await noteLegacyVolumes(project, name, onEvent);
    prepareControl(project); // the app containers mount its folder
    const file = writeRunFiles(project, compose.version);
    writeComposeRecord(project.home, { projectName: name, file }); // from now on: `down` works even if stack.yaml breaks
    onEvent({ type: "note", message: `Docker Compose v${compose.version}: creating containers (images are built when sources of their layers changed)...` });
    const created = await runCompose(compose, project, ["up", "--no-start", "--build", "--remove-orphans"], file);
    if (created.exitCode !== 0) {
      const details = tail(project.mask(`${created.stderr}\n${created.stdout}`), 20);
      const known = diagnose(details); // a full disk, a port taken, a permission: Docker's own words name it
      throw new ZeroError("ZERO_SERVICE_FAILED", "Docker Compose could not build or create the containers.", {
        details,
        why: known?.why,
        next: known?.next ?? "Read the lines above (a failed image build or pull names its step); fix it and run `make dev runtime=compose` again.",
      });
    }
    const driver = new ContainerDriver(project, await projectContainers(name), onEvent);
    // As natively: branch_data=1's state and pending migrations (behind a restore point) before the API starts.
    const note = (message: string) => onEvent({ type: "note", message });
    const starting = preparingDatabase(driver, startupDatabase(project), templateSnapshots, note);
    try {
      await startAll(project.stack.services, starting, { deadlineMs: DEADLINE_MS, signal: new AbortController().signal, onEvent });
    } catch (error) {
      // Leave nothing half-running: remove this run's containers, keep the volumes (the data).
      await removeContainers(compose, name, project.root, file, false, composeSecretEnvironment(secretEnvValues(project)));
      throw error;
    } finally {
      driver.close();
    }
    // The control API (same routes as the native supervisor's) for the dashboard and /api/v1/environment.
    await startControlServer(project, name);
    return { alreadyRunning: false, services: await this.statuses(project, await projectContainers(name), false) };
  }

  async down(project: Project, onEvent: EventSink, options: DownOptions = {}): Promise<DownResult> {
    const record = project.fromRecord ? readComposeRecord(project.home) : undefined;
    if (project.fromRecord && !record) return { stopped: [], nothingRunning: true, orphansStopped: [] };
    const name = record?.projectName ?? composeProjectName(project);
    const compose = await findCompose();
    await stopControlServer(project); // first: it would only report the containers going away
    const before = await projectContainers(name);
    const removeData = Boolean(options.volumes || project.stackFile.profiles[project.profile]?.ephemeral);
    if (before.length === 0 && !removeData) {
      removeComposeRecord(project.home);
      return { stopped: [], nothingRunning: true, orphansStopped: [] };
    }
    const running = before.filter((c) => c.status === "running" || c.status === "restarting").map((c) => c.service);
    for (const service of running) onEvent({ type: "stopping", service });
    // From the record: the file the containers were created from (the configuration cannot make a new one).
    const file = record?.file ?? writeRunFiles(project, compose.version);
    // Without the configuration (fromRecord) the secrets' references are left blank: `down` needs no values.
    const secrets = project.fromRecord ? {} : composeSecretEnvironment(secretEnvValues(project));
    const result = await removeContainers(compose, name, project.root, file, removeData, secrets);
    if (result.exitCode !== 0) {
      throw new ZeroError("ZERO_SERVICE_FAILED", "Docker Compose could not remove the stack's containers.", {
        details: tail(project.mask(`${result.stderr}\n${result.stdout}`), 20),
        next: `Run \`docker ps -a --filter label=com.docker.compose.project=${name}\` to see what is left, then \`make down runtime=compose\` again.`,
      });
    }
    removeComposeRecord(project.home);
    if (removeData) onEvent({ type: "note", message: `Removed the data volumes of ${name}.` });
    return { stopped: running, nothingRunning: before.length === 0, orphansStopped: [], dataRemoved: removeData };
  }

  private async act(project: Project, service: string, action: "restart" | "stop" | "start"): Promise<ActionOutcome> {
    await this.running(project, service); // the stack is up and has this service
    // Only `make dev` (under the lifecycle lock) starts the control server: started from here, two actions at once
    // would start two servers, and one racing `make down` would start it after down removed its folder.
    const client = controlServerClient(project);
    if (!client) {
      throw new ZeroError("ZERO_SUPERVISOR_UNREACHABLE", `Cannot ${action} ${service}: the compose control server (which runs service actions) is not running.`, {
        next: "Run `make dev runtime=compose`: it starts the control server again and leaves the running containers as they are.",
      });
    }
    return actOnService(client, service, action, 120_000);
  }

  /** `docker exec` with the terminal passed through; resolves with the command's exit code. */
  private async exec(project: Project, service: string, command: string[]): Promise<number> {
    const container = await this.running(project, service);
    const tty = process.stdin.isTTY && process.stdout.isTTY ? ["-t"] : [];
    const result = await execa("docker", ["exec", "-i", ...tty, container.id, ...command], { stdio: "inherit", reject: false });
    return result.exitCode ?? 1;
  }

  private async containers(project: Project): Promise<Container[]> {
    await assertDockerReady();
    return projectContainers(composeProjectName(project));
  }

  private async running(project: Project, service: string): Promise<Container> {
    const container = (await this.containers(project)).find((c) => c.service === service);
    if (!container) {
      throw new ZeroError("ZERO_SERVICE_FAILED", `${service} has no container: the compose stack is not up.`, { next: "Start it with `make dev runtime=compose`." });
    }
    return container;
  }

  private async status(project: Project): Promise<ServiceStatus[] | undefined> {
    await assertDockerReady();
    if (project.fromRecord) {
      // No configuration: what Docker says of the recorded project's containers (its own health checks).
      const record = readComposeRecord(project.home);
      const containers = record ? await projectContainers(record.projectName) : [];
      return containers.length === 0 ? undefined : containers.map((c) => statusOf(c.service, containerRecord(c, {})));
    }
    const containers = await projectContainers(composeProjectName(project));
    return containers.length === 0 ? undefined : this.statuses(project, containers);
  }

  private async logs(project: Project, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    await assertDockerReady();
    const containers = (await projectContainers(composeProjectName(project))).filter((c) => !query.service || c.service === query.service);
    const masked = (line: LogLine) => onLine({ ...line, line: project.mask(line.line) });
    if (query.follow) return followContainerLogs(containers, query, masked, signal, project.home);
    (await readContainerLogs(containers, query, project.home)).forEach(masked);
  }

  /**
   * Health is checked now from the host with the same probes as `make dev` (Docker's own healthcheck
   * runs every 2 s and lags behind). withUsage: CPU and memory from `docker stats`, which samples for ~2 s.
   */
  private async statuses(project: Project, containers: Container[], withUsage = true): Promise<ServiceStatus[]> {
    const ours = containers.filter((c) => project.stack.services[c.service]);
    const [usage, checks] = await Promise.all([
      withUsage ? containerUsage(ours.filter((c) => c.status === "running").map((c) => c.id)) : new Map(),
      Promise.all(ours.map((c) => this.check(project, c))),
    ]);
    return ours.map((c, i) => statusOf(c.service, { ...containerRecord(c, project.stack.services[c.service]!.ports), ...checks[i], ...usage.get(c.id) }));
  }

  private async check(project: Project, container: Container) {
    const service = project.stack.services[container.service]!;
    const probe = probeFor(service, project.root);
    if (container.status !== "running" || !probe) return {};
    return checkOnce(probe, service.healthcheck?.timeout_ms ?? 1000);
  }
}

/** Launches created containers one by one; the orchestrator gates them exactly as in native. */
class ContainerDriver implements ServiceDriver {
  private readonly closed = new AbortController();

  constructor(
    private readonly project: Project,
    private readonly containers: Container[],
    private readonly onEvent: EventSink,
  ) {}

  async start(service: Service): Promise<void> {
    const { id } = this.container(service);
    const result = await docker(["start", id]);
    if (result.exitCode !== 0) throw new Error(this.project.mask(result.stderr.trim() || `docker start exited with ${result.exitCode}`));
    const script = kindOf(service).container.postStart;
    if (script) await this.postStart(service, id, script);
  }

  /** The kind's start-up step inside the container (postgres: apply a rotated password); its failure ends the start at once. */
  private async postStart(service: Service, id: string, script: string): Promise<void> {
    const result = await docker(["exec", id, "sh", "-c", script]);
    const output = this.project.mask(`${result.stdout}\n${result.stderr}`).trim();
    if (result.exitCode === 0) {
      if (output) this.onEvent({ type: "note", message: `${service.name}: ${output}` });
      return;
    }
    throw new ZeroError("ZERO_SERVICE_FAILED", `${service.name}: its start-up step in the container failed (exit code ${result.exitCode}).`, {
      why: kindOf(service).container.postStartFailure?.why ?? "The step that prepares the service inside its container did not succeed.",
      next: kindOf(service).container.postStartFailure?.next ?? "Read the output below and fix its cause.",
      details: tail(output, 10),
    });
  }

  /** Resolves when the container exits, or Docker keeps restarting it (restart: on-failure). */
  async exited(service: Service): Promise<string> {
    const { id } = this.container(service);
    while (!this.closed.signal.aborted) {
      await sleep(500, undefined, { signal: this.closed.signal }).catch(() => {});
      const inspected = await docker(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", id]);
      const [status, code, restarts] = inspected.stdout.trim().split(" ");
      if (status === "exited" || status === "dead") return `the container exited with code ${code}`;
      if (Number(restarts) >= 2) return `the container keeps exiting (code ${code}, restarted ${restarts} times)`;
    }
    return new Promise(() => {}); // closed: the stack is up, nothing more to report here
  }

  probe(service: Service) {
    return probeFor(service, this.project.root);
  }

  async logTail(service: Service, lines: number): Promise<string[]> {
    const result = await docker(["logs", "--tail", String(lines), this.container(service).id]);
    return tail(this.project.mask(`${result.stdout}\n${result.stderr}`), lines);
  }

  close() {
    this.closed.abort();
  }

  private container(service: Service): Container {
    const container = this.containers.find((c) => c.service === service.name);
    if (!container) throw new Error(`Compose created no container for ${service.name}`);
    return container;
  }
}

/**
 * The Compose project: COMPOSE_PROJECT_NAME if set, else the stack's name and a short hash of the checkout's
 * path (plus the profile when isolated), so two clones never share containers or data volumes.
 */
export function composeProjectName(project: Project): string {
  return project.variables.values.COMPOSE_PROJECT_NAME || `${legacyProjectName(project)}-${createHash("sha256").update(project.root).digest("hex").slice(0, 6)}`;
}

/** The name every checkout shared before: its volumes hold the data of users who ran compose then. */
function legacyProjectName(project: Project): string {
  const isolated = project.stackFile.profiles[project.profile]?.isolated;
  return isolated ? `${project.stack.name}-${profileSlug(project.profile)}` : project.stack.name;
}

/** Points a user whose data sits in the volumes of the old shared project name at it (once they exist, nothing else). */
async function noteLegacyVolumes(project: Project, name: string, onEvent: EventSink) {
  if (project.variables.values.COMPOSE_PROJECT_NAME) return;
  const volumes = async (projectName: string) =>
    (await docker(["volume", "ls", "-q", "--filter", `label=com.docker.compose.project=${projectName}`])).stdout.split("\n").filter(Boolean);
  const legacy = legacyProjectName(project);
  if ((await volumes(name)).length > 0) return;
  const old = await volumes(legacy);
  if (old.length === 0) return;
  onEvent({
    type: "note",
    message: `This checkout's Compose project is now ${name} (unique per checkout). Your earlier data is in the volumes of "${legacy}" (${old.join(", ")}): to keep using it, add COMPOSE_PROJECT_NAME=${legacy} to .env and run make dev again (docs/runtimes.md).`,
  });
}

/**
 * Writes this run's compose file and the secret files it mounts; returns the compose file's path. The file holds no
 * secret (passwords are mounted files, other secrets `${ZERO_SECRET_…}` references filled in from `up`'s
 * environment); it and its folder are private all the same, like everything else zero keeps for a run.
 */
export function writeRunFiles(project: Project, composeVersion: 1 | 2): string {
  const secretsDir = writeSecretFiles(project);
  const dir = join(project.home, "compose");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, "docker-compose.yml");
  // A missing folder would be made by Docker, owned by root with mode 0755: made here, private, it holds keys (https).
  for (const folder of writableMountFolders(project)) if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(file, composeForRun(project, secretsDir, controlMountDir(project), composeVersion), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * One file per secret in <home>/secrets. The folder is private (0700); the files are readable so the
 * container's own user (postgres, redis, node) can read its bind-mounted copy.
 */
export function writeSecretFiles(project: Project): string {
  const dir = join(project.home, "secrets");
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  for (const [name, value] of Object.entries(secretValues(project))) {
    writeFileSync(join(dir, name), value, { mode: 0o644 });
    chmodSync(join(dir, name), 0o644);
  }
  return dir;
}

/** `compose down`, plus the containers' unnamed volumes, which only hold what the image put there. */
async function removeContainers(compose: ComposeCommand, name: string, root: string, file: string, removeData: boolean, secrets: Record<string, string> = {}) {
  const anonymous = (await projectContainers(name)).flatMap((c) => c.anonymousVolumes);
  const result = await composeIn(compose, name, root, ["down", "--remove-orphans", ...(removeData ? ["--volumes"] : [])], file, secrets);
  if (anonymous.length > 0) await docker(["volume", "rm", "--force", ...anonymous]);
  return result;
}

/** Compose with the project's secret values in its environment, which the run file's references are filled in from. */
function runCompose(compose: ComposeCommand, project: Project, args: string[], file: string) {
  return composeIn(compose, composeProjectName(project), project.root, args, file, composeSecretEnvironment(secretEnvValues(project)));
}

function composeIn(compose: ComposeCommand, name: string, root: string, args: string[], file: string, secrets: Record<string, string>) {
  const command = [...compose.args, "--project-name", name, "--file", file, "--project-directory", root, ...args];
  return execa(compose.file, command, { reject: false, cwd: root, env: { ...secrets, COMPOSE_PROJECT_NAME: name } });
}

function tail(text: string, lines: number): string[] {
  return text.split("\n").filter((line) => line.trim()).slice(-lines);
}
