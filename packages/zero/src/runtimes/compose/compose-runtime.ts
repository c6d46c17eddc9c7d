import { join } from "node:path";
import type { Project } from "../../config/project.js";
import type { ComposeProject, DockerClient } from "../../docker/docker-client.js";
import { ZeroError } from "../../errors/zero-error.js";
import { checkOnce } from "../../health/check-once.js";
import { probeFor } from "../../health/probes.js";
import type { EventSink } from "../../orchestrate/events.js";
import { startAll } from "../../orchestrate/start-all.js";
import { assertPortsFree } from "../../ports/check.js";
import { portVariable } from "../../stack/load.js";
import { statusOf } from "../service-status.js";
import { preparingDatabase, startupDatabase } from "../../database/startup.js";
import { templateSnapshots } from "../../database/template-snapshots.js";
import type { ActionOutcome, DownOptions, DownResult, LogLine, LogQuery, Runtime, RuntimeCapabilities, ServiceStatus, UpResult } from "../runtime.js";
import { composeSecretEnvironment, composeTemplate } from "./compose-file.js";
import { ContainerDriver } from "./container-driver.js";
import { containerRecord, containerUsage, projectContainers, type Container } from "./containers.js";
import { assertDockerReady, dockerCheck, findCompose } from "./docker-ready.js";
import { readContainerLogs, followContainerLogs } from "./logs.js";
import { composeProjectName, noteLegacyVolumes } from "./project-name.js";
import { createContainers, removeContainers } from "./run-compose.js";
import { writeRunFiles } from "./run-files.js";
import { composeRecordPath, readComposeRecord, removeComposeRecord, writeComposeRecord } from "./run-record.js";
import { actOnService } from "../../control/act-on-service.js";
import { controlServerClient, prepareControl, startControlServer, stopControlServer } from "./control/control-process.js";

const DEADLINE_MS = 120_000;

/** Runs the stack in Docker containers with Compose, from a file generated from stack.yaml for this run. */
export class ComposeRuntime implements Runtime {
  readonly name = "compose";
  readonly refusesPlaceholderSecrets = true;
  readonly prerequisites = async () => [await dockerCheck(this.docker)];
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
        (await import("./backup.js")).createComposeBackup(project, this.docker, await this.containers(project), target, note),
    },
    restore: async (project, target, file, note) =>
      (await import("./backup.js")).restoreComposeBackup(project, this.docker, await this.containers(project), target, file, note),
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

  /** Docker as given: the real command line (runtimes/index.ts), or a fake in a unit test. */
  constructor(private readonly docker: DockerClient) {}

  dataLocation(): string {
    return "the stack's Docker volumes";
  }

  recordIn(home: string): string | undefined {
    return readComposeRecord(home) ? composeRecordPath(home) : undefined;
  }

  async up(project: Project, onEvent: EventSink): Promise<UpResult> {
    const version = await findCompose(this.docker);
    const name = composeProjectName(project);
    const before = await projectContainers(this.docker, name);
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

    await noteLegacyVolumes(this.docker, project, name, onEvent);
    prepareControl(project); // the app containers mount its folder
    const file = writeRunFiles(project, version);
    writeComposeRecord(project.home, { projectName: name, file }); // from now on: `down` works even if stack.yaml breaks
    onEvent({ type: "note", message: `Docker Compose v${version}: creating containers (images are built when sources of their layers changed)...` });
    const compose: ComposeProject = { name, file, root: project.root, version, secrets: composeSecretEnvironment(project) };
    await createContainers(this.docker, compose, project.mask);
    const driver = new ContainerDriver(this.docker, project, await projectContainers(this.docker, name), onEvent);
    // As natively: branch_data=1's state and pending migrations (behind a restore point) before the API starts.
    const note = (message: string) => onEvent({ type: "note", message });
    const starting = preparingDatabase(driver, startupDatabase(project), templateSnapshots, note);
    try {
      await startAll(project.stack.services, starting, { deadlineMs: DEADLINE_MS, signal: new AbortController().signal, onEvent });
    } catch (error) {
      // Leave nothing half-running: remove this run's containers, keep the volumes (the data).
      await removeContainers(this.docker, compose, false, project.mask).catch(() => {});
      throw error;
    } finally {
      driver.close();
    }
    // The control API (same routes as the native supervisor's) for the dashboard and /api/v1/environment.
    await startControlServer(project, name);
    return { alreadyRunning: false, services: await this.statuses(project, await projectContainers(this.docker, name), false) };
  }

  async down(project: Project, onEvent: EventSink, options: DownOptions = {}): Promise<DownResult> {
    const record = project.fromRecord ? readComposeRecord(project.home) : undefined;
    if (project.fromRecord && !record) return { stopped: [], nothingRunning: true, orphansStopped: [] };
    const name = record?.projectName ?? composeProjectName(project);
    const version = await findCompose(this.docker);
    await stopControlServer(project); // first: it would only report the containers going away
    const before = await projectContainers(this.docker, name);
    const removeData = Boolean(options.volumes || project.stackFile.profiles[project.profile]?.ephemeral);
    if (before.length === 0 && !removeData) {
      removeComposeRecord(project.home);
      return { stopped: [], nothingRunning: true, orphansStopped: [] };
    }
    const running = before.filter((c) => c.status === "running" || c.status === "restarting").map((c) => c.service);
    for (const service of running) onEvent({ type: "stopping", service });
    // From the record: the file the containers were created from (the configuration cannot make a new one).
    const file = record?.file ?? writeRunFiles(project, version);
    // Without the configuration (fromRecord) the secrets' references stay blank: `down` needs no values.
    const secrets = project.fromRecord ? {} : composeSecretEnvironment(project);
    await removeContainers(this.docker, { name, file, root: project.root, version, secrets }, removeData, project.mask);
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
    return this.docker.execAttached((await this.running(project, service)).id, command);
  }

  private async containers(project: Project): Promise<Container[]> {
    await assertDockerReady(this.docker);
    return projectContainers(this.docker, composeProjectName(project));
  }

  private async running(project: Project, service: string): Promise<Container> {
    const container = (await this.containers(project)).find((c) => c.service === service);
    if (!container) {
      throw new ZeroError("ZERO_SERVICE_FAILED", `${service} has no container: the compose stack is not up.`, { next: "Start it with `make dev runtime=compose`." });
    }
    return container;
  }

  private async status(project: Project): Promise<ServiceStatus[] | undefined> {
    await assertDockerReady(this.docker);
    if (project.fromRecord) {
      // No configuration: what Docker says of the recorded project's containers (its own health checks).
      const record = readComposeRecord(project.home);
      const containers = record ? await projectContainers(this.docker, record.projectName) : [];
      return containers.length === 0 ? undefined : containers.map((c) => statusOf(c.service, containerRecord(c, {})));
    }
    const containers = await projectContainers(this.docker, composeProjectName(project));
    return containers.length === 0 ? undefined : this.statuses(project, containers);
  }

  private async logs(project: Project, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    await assertDockerReady(this.docker);
    const containers = (await projectContainers(this.docker, composeProjectName(project))).filter((c) => !query.service || c.service === query.service);
    const masked = (line: LogLine) => onLine({ ...line, line: project.mask(line.line) });
    if (query.follow) return followContainerLogs(this.docker, containers, query, masked, signal, project.home);
    (await readContainerLogs(this.docker, containers, query, project.home)).forEach(masked);
  }

  /**
   * Health is checked now from the host with the same probes as `make dev` (Docker's own healthcheck
   * runs every 2 s and lags behind). withUsage: CPU and memory from `docker stats`, which samples for ~2 s.
   */
  private async statuses(project: Project, containers: Container[], withUsage = true): Promise<ServiceStatus[]> {
    const ours = containers.filter((c) => project.stack.services[c.service]);
    const [usage, checks] = await Promise.all([
      withUsage ? containerUsage(this.docker, ours.filter((c) => c.status === "running").map((c) => c.id)) : new Map(),
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
