import type { StackService, StackStatus } from "@zero/contracts/control";
import { setTimeout as sleep } from "node:timers/promises";
import { ChangeFeed } from "../../../control/changes.js";
import { readConfigView } from "../../../control/config-view.js";
import { LogHub } from "../../../control/log-hub.js";
import { ServiceQueue } from "../../../control/service-queue.js";
import type { ControlBackend } from "../../../control/routes.js";
import { dependencyConditions } from "../../../stack/graph.js";
import { containerRecord, containerUsage, projectContainers, type Container } from "../containers.js";
import type { DockerClient } from "../../../docker/docker-client.js";
import { toLogLine } from "../logs.js";
import { readLines } from "../../../processes/process-group.js";
import { appendFileSync } from "node:fs";
import { zeroNotesFile } from "../logs.js";
import { restartContainers } from "../restart-containers.js";
import type { ControlPlan } from "./control-plan.js";
import { ZeroError } from "../../../errors/zero-error.js";
import { takenPorts } from "../../../ports/check.js";

type Usage = Map<string, { cpu: number; memoryBytes: number }>;

/** Lines of each container's log read at start: the page's history. */
const HISTORY_LINES = 500;

/**
 * The control API's backend under Docker Compose: state, health, uptime and restarts from `docker inspect`
 * (re-read on every `docker events` event of the project, and every 2 s), CPU and memory from `docker stats`,
 * logs from `docker logs --follow`, restart/stop/start with the docker command (as `zero restart` does).
 */
export class DockerBackend implements ControlBackend<Usage> {
  readonly logs = new LogHub();
  readonly actions = new ServiceQueue();
  private readonly changes = new ChangeFeed();
  private containers: Container[] = [];
  private seen = "";
  /** Stopped on request (the page, `zero stop`, docker stop): shown as stopped, not as failed with exit code 137/143. */
  private readonly stoppedOnRequest = new Set<string>();
  private readonly following = new Set<string>();
  private reading?: Promise<number>;
  private readAgain = false;
  private usage: Usage = new Map();
  private usageAskedAt = 0;

  constructor(
    private readonly plan: ControlPlan,
    readonly mask: (text: string) => string,
    private readonly signal: AbortSignal,
    /** Docker, as compose-control-main.ts gives it (the watch rules' syncs and builds use it too). */
    readonly docker: DockerClient,
  ) {}

  /** Reads the containers now; calls meanwhile share one more read after it. Returns how many there are. */
  refresh(): Promise<number> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        let count: number;
        do {
          this.readAgain = false;
          count = await this.read();
        } while (this.readAgain);
        return count;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** Tells followers when something they show changed. */
  private async read(): Promise<number> {
    const containers = await projectContainers(this.docker, this.plan.projectName);
    this.containers = containers;
    const key = JSON.stringify(
      containers.map((c) => [c.id, c.status, c.exitCode, c.startedAt, c.restarts, c.health?.status]),
    );
    if (key !== this.seen) {
      this.seen = key;
      this.changes.notify();
      for (const container of containers) if (container.status === "running") this.follow(container.service);
    }
    return containers.length;
  }

  /** Follows `docker events` for the project's containers: a stop, start, die or health change shows at once. */
  async watchEvents(): Promise<void> {
    // Not exec_* (every health check is an exec: several a second) nor attach/resize: only what changes the state.
    const actions = [
      "create",
      "start",
      "restart",
      "stop",
      "die",
      "kill",
      "oom",
      "pause",
      "unpause",
      "destroy",
      "health_status",
    ];
    await this.docker.events(this.plan.projectName, actions, this.signal, ({ action, service }) => {
      // Docker sends "stop" only for a requested stop (docker stop, zero stop, the page), never for a crash ("die").
      if (service && action === "stop") this.stoppedOnRequest.add(service);
      if (service && action === "start") this.stoppedOnRequest.delete(service);
      void this.refresh();
    });
  }

  /** The last sample: `docker stats` takes ~2 s, longer than a status call may (the API waits 0.8 s). */
  measureUsage(): Promise<Usage> {
    this.usageAskedAt = Date.now();
    return Promise.resolve(this.usage);
  }

  /** Samples CPU and memory while someone asked for them in the last 30 s (docker stats costs CPU). */
  async sampleUsage(): Promise<void> {
    if (Date.now() - this.usageAskedAt > 30_000) return;
    this.usage = await containerUsage(
      this.docker,
      this.containers.filter((c) => c.status === "running").map((c) => c.id),
    );
  }

  snapshot(usage: Usage): StackStatus {
    const services = Object.fromEntries(
      this.containers
        .filter((container) => this.plan.services[container.service])
        .map((container) => {
          const service = this.plan.services[container.service]!;
          const record = containerRecord(container, service.ports);
          const stopped = this.stoppedOnRequest.has(container.service) && record.state !== "running";
          return [
            container.service,
            {
              ...record,
              state: stopped ? "stopped" : record.state,
              lastError: stopped ? undefined : record.lastError && this.mask(record.lastError),
              ...(container.status === "running" ? usage.get(container.id) : {}),
              kind: service.kind,
              description: service.description,
              dependsOn: dependencyConditions(service),
              urls: service.urls,
            } satisfies StackService,
          ];
        }),
    );
    const { profile, fingerprint } = this.plan;
    return {
      version: 1 as const,
      runtime: "compose",
      profile,
      fingerprint,
      supervisor: { pid: process.pid },
      services,
      at: new Date().toISOString(),
    };
  }

  async checkHealthNow(): Promise<void> {
    await this.refresh();
  }

  subscribe(listener: () => void): () => void {
    return this.changes.subscribe(listener);
  }

  config() {
    return readConfigView({ ...this.plan, runtime: "compose" }, this.mask);
  }

  async stacks() {
    return (await import("../../../stacks/current.js")).stacksView(this.plan);
  }

  async restart(name: string) {
    await this.restartWithFollowers(name);
    return { restarted: name };
  }

  /**
   * `docker restart`, then the services that follow it (depends_on restart: true) once it is healthy again. Called
   * inside the service's own queued action (`actions`); each follower's restart is queued on its own.
   */
  restartWithFollowers(name: string): Promise<string[]> {
    const restartOne = async (service: string) => {
      this.stoppedOnRequest.delete(service);
      await this.act("restart", service);
    };
    return restartContainers(
      this.plan.services,
      this.plan.root,
      name,
      async (service) => {
        if (service === name) return restartOne(service);
        await this.actions.run(service, "restart", () => restartOne(service));
      },
      (service, line) => this.note(service, line),
    );
  }

  /** A line of zero's own in a service's log feed (the dashboard): watch reloads, builds, followed restarts. */
  note(service: string, line: string): void {
    const entry = { ts: new Date().toISOString(), service, line: this.mask(line) };
    this.logs.publish(entry);
    // Kept beside the containers' own logs for `zero logs` (readContainerLogs merges them in); a failed write loses a note only.
    try {
      appendFileSync(zeroNotesFile(this.plan.home, service), `${entry.ts} ${entry.line}\n`, { mode: 0o600 });
    } catch {}
  }

  /** The service's container as last read (undefined when it has none). */
  containerOf(name: string): Container | undefined {
    return this.containers.find((c) => c.service === name);
  }

  async stop(name: string) {
    this.stoppedOnRequest.add(name);
    await this.act("stop", name);
    return { service: name, stopped: true };
  }

  async start(name: string) {
    this.stoppedOnRequest.delete(name);
    await this.act("start", name);
    return { service: name, started: true };
  }

  private async act(action: "restart" | "stop" | "start", name: string): Promise<void> {
    const container = this.containers.find((c) => c.service === name);
    if (!container) throw new Error(`${name} has no container in ${this.plan.projectName}`);
    const result = await this.docker[action](container.id);
    if (result.exitCode !== 0) {
      const said = this.mask(result.stderr.trim() || `docker ${action} exited with ${result.exitCode}`);
      // Another program took a published port while the container was stopped: named as the start-up check does.
      if (/address already in use|port is already allocated/i.test(said)) {
        const service = this.plan.services[name];
        const taken = service && (await takenPorts(service));
        throw new ZeroError("ZERO_PORT_IN_USE", `${name} cannot start: ${taken || said}`);
      }
      throw new Error(said);
    }
    await this.refresh();
  }

  /**
   * Puts one service's log lines into the hub while its container runs: history first, then new lines. `docker logs
   * --follow` ends when the container stops; it is followed again from the last line's time once it runs again.
   */
  private follow(service: string): void {
    if (this.following.has(service)) return;
    this.following.add(service);
    void (async () => {
      let last: bigint | undefined;
      while (!this.signal.aborted) {
        const container = this.containers.find((c) => c.service === service);
        if (!container || container.status !== "running") {
          await sleep(300, undefined, { signal: this.signal }).catch(() => {});
          continue;
        }
        const from = last === undefined ? { tail: HISTORY_LINES } : { since: fromNanos(last) };
        const followed = this.docker.followLogs(container.id, from, this.signal);
        // The supervisor's own line reader: a 20 MB line is cut to 64 KiB here too (readline would hold it whole).
        readLines(followed.output, (text) => {
          const stamp = nanos(text.slice(0, text.indexOf(" ")));
          if (stamp !== undefined && last !== undefined && stamp <= last) return; // --since repeats the last second
          if (stamp !== undefined) last = stamp;
          const line = toLogLine(service, text);
          this.logs.publish({ ...line, line: this.mask(line.line) });
        });
        await followed.done;
        await sleep(300, undefined, { signal: this.signal }).catch(() => {});
      }
    })();
  }
}

/** "2026-11-23T19:24:50.151234567Z" → nanoseconds since 1970 (Docker trims trailing zeros of the fraction). */
export function nanos(stamp: string): bigint | undefined {
  const match = /^(.+?)(?:\.(\d{1,9}))?Z$/.exec(stamp);
  const seconds = match ? Date.parse(`${match[1]}Z`) : Number.NaN;
  if (!match || Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? "").padEnd(9, "0"));
}

/** Nanoseconds → what `docker logs --since` takes ("1700000000.123456789"). */
function fromNanos(value: bigint): string {
  return `${value / 1_000_000_000n}.${String(value % 1_000_000_000n).padStart(9, "0")}`;
}
