import { once } from "node:events";
import { join } from "node:path";
import { createMasker } from "../../../config/mask.js";
import { probeFor } from "../../../health/probes.js";
import { describeFailure, waitUntilHealthy } from "../../../health/wait.js";
import type { EventSink } from "../../../orchestrate/events.js";
import { startAll, type ServiceDriver } from "../../../orchestrate/start-all.js";
import { kindOf } from "../../../kinds/index.js";
import { preparingDatabase } from "../../../database/startup.js";
import { templateSnapshots } from "../../../database/template-snapshots.js";
import { prepareFor } from "../drivers/index.js";
import type { Service } from "../../../stack/schema.js";
import { defaultBackoff, nextCrashCount, restartDelay } from "./backoff.js";
import { LogHub } from "../../../control/log-hub.js";
import { ServiceQueue } from "../../../control/service-queue.js";
import { serviceMarker } from "../leftovers.js";
import { holdLaunchForTests } from "./test-hold.js";
import { SupervisorMetrics } from "./metrics.js";
import { LogFile, tailLines } from "./log-file.js";
import { exitReason, type ManagedService } from "./managed-service.js";
import type { Plan } from "./plan.js";
import { launchGroup, outputDrained, stopGroup } from "../../../processes/process-group.js";
import { type ProcessEntry, processStartTime, processTableOncePerTurn } from "../../../processes/process-info.js";
import { takenPorts } from "../../../ports/check.js";
import { ZeroError } from "../../../errors/zero-error.js";
import type { Scope } from "../../../control/token-scopes.js";
import type { ServiceRecord } from "./state-file.js";
import { DEPENDENCIES_FD, dependenciesFdEnv, gatePipe, openGate } from "./dependency-gate.js";

const STOP_GRACE_MS = 5_000;
/** Consecutive crashes (each within the backoff's stable time of its start) after which status says "crash-looping". */
const CRASH_LOOP_AFTER = 3;
// Below the 30 s the API's restart relay waits, so the dashboard hears the outcome.
const RELAUNCH_HEALTH_DEADLINE_MS = 25_000;

/** Owns the stack's processes: starts them in order, restarts crashes, stops them on request. */
export class Supervisor implements ServiceDriver {
  readonly services = new Map<string, ManagedService>();
  readonly mask: (text: string) => string;
  readonly logs = new LogHub();
  /** Every restart, stop and start of a service, from the control API or our own crash and liveness restarts. */
  readonly actions = new ServiceQueue();
  /** Aborted when the stack goes down: a relaunch's health wait ends at once instead of holding the queue. */
  private readonly closing = new AbortController();
  /** The supervisor's own metrics beyond the records (health-check latency), served at GET /metrics. */
  readonly metrics = new SupervisorMetrics();
  /** How to reach the control API, with a token of the scope asked for: given to node services and to those with `control`. */
  appEnv: (scope: Scope) => Record<string, string> = () => ({});
  private startupDone = false;
  /** What stops could not end (a process stuck in the kernel): reported by `down`, which must not hang on it. */
  readonly leftBehind: string[] = [];

  constructor(
    readonly plan: Plan,
    private readonly emit: EventSink,
    private readonly onChange: () => void,
  ) {
    this.mask = createMasker(plan.secrets);
    for (const service of Object.values(plan.services)) {
      const log = new LogFile(join(plan.home, "logs", `${service.name}.log`), this.mask, undefined, (message) => this.emit({ type: "note", message }));
      this.services.set(service.name, { service, log, record: emptyRecord(service), crashes: 0, failedChecks: 0, provenHealthy: false, stopping: false, held: false, gated: false, ...exitSignal() });
    }
  }

  /** Starts every service, gated on dependencies and health checks; throws the first failure. */
  async startAll(signal: AbortSignal): Promise<void> {
    // Branch state, restore point and migrations before what depends on the database starts (database/startup.ts).
    const note = (message: string) => this.emit({ type: "note", message });
    const driver = preparingDatabase(this, this.plan.database, templateSnapshots, note);
    await startAll(this.plan.services, driver, { deadlineMs: this.plan.deadlineMs, signal, onEvent: (event) => {
      this.track(event);
      this.emit(event);
    } });
    this.startupDone = true;
  }

  async start(service: Service, signal: AbortSignal): Promise<void> {
    const managed = this.services.get(service.name)!;
    if (managed.gated) return this.openGate(managed);
    await this.prepare(managed, signal);
    await this.actions.run(service.name, "start", async () => {
      if (!managed.child) await this.launch(managed);
    });
  }

  /** start_early: launched now, with the dependency gate closed; `start` opens it once the dependencies are met. */
  async spawnEarly(service: Service, signal: AbortSignal): Promise<void> {
    const managed = this.services.get(service.name)!;
    await this.prepare(managed, signal);
    await this.actions.run(service.name, "start", async () => {
      managed.gated = true;
      if (!managed.child) await this.launch(managed);
    });
  }

  /** Through the queue: a restart while it waited relaunched it gated, and the gate opens on the current process. */
  private async openGate(managed: ManagedService): Promise<void> {
    await this.actions.run(managed.service.name, "open the dependency gate", async () => {
      managed.gated = false;
      if (managed.child) {
        openGate(managed.child);
        managed.record.state = "running";
        this.onChange();
      }
      this.record(managed, `[zero] ${managed.service.name}: dependencies met, told on fd ${DEPENDENCIES_FD}`);
    });
  }

  /** Its launch spec, its control token, and nothing launched once the stack is going down. */
  private async prepare(managed: ManagedService, signal: AbortSignal): Promise<void> {
    const { service } = managed;
    managed.record.state = "starting";
    this.onChange();
    managed.spec = await prepareFor(service)(service, {
      root: this.plan.root,
      home: this.plan.home,
      signal,
      note: (message) => this.emit({ type: "note", message }),
    });
    if (kindOf(service).control || service.control)
      managed.spec.env = { ...managed.spec.env, ...this.appEnv(service.control === "act" ? "act" : "read") };
    await holdLaunchForTests(service.name, signal, (message) => this.emit({ type: "note", message }));
    // A shutdown requested while it prepared (initdb can take seconds) wins: nothing launches behind its back. The
    // queue is closed before the shutdown looks for processes to stop, so a launch is either refused or stopped.
    signal.throwIfAborted();
  }

  exited(service: Service): Promise<string> {
    return this.services.get(service.name)!.exited;
  }

  /** The service's health check, nudged by each line it prints (it often prints one as it starts to listen). */
  probe(service: Service) {
    const probe = probeFor(service, this.plan.root);
    const nudges = (nudge: () => void) => this.logs.subscribe(({ entry }) => entry.service === service.name && nudge());
    return probe && Object.assign(probe, { nudges });
  }

  logTail(service: Service, lines: number): Promise<string[]> {
    return tailLines(this.services.get(service.name)!.log.path, lines);
  }

  /**
   * Stops a service before the ones it waits `healthy` for (it uses them: its last queries land), every other in
   * parallel (a `started` dependency only orders the start: the dashboard need not outlive the API), once every
   * queued action has finished (new ones are refused from the start: a restart must not launch behind the stop's back).
   */
  async stopAll(): Promise<string[]> {
    this.actions.close("the stack is stopping (make down)");
    this.closing.abort(new Error("the stack is stopping"));
    await this.actions.drain();
    const stopped = new Set<string>();
    const done = new Map<string, Promise<void>>();
    const processes = processTableOncePerTurn(); // stops that begin together read /proc once
    const stopOne = (managed: ManagedService): Promise<void> => {
      const existing = done.get(managed.service.name);
      if (existing) return existing;
      const dependents = [...this.services.values()].filter((other) => other.service.depends_on[managed.service.name]?.condition === "healthy");
      const promise = Promise.all(dependents.map(stopOne)).then(async () => {
        if (await this.stop(managed, processes)) stopped.add(managed.service.name);
      });
      done.set(managed.service.name, promise);
      return promise;
    };
    await Promise.all([...this.services.values()].map(stopOne));
    await Promise.all([...this.services.values()].map((managed) => managed.log.close()));
    // Named in reverse start order, not in the order parallel stops happened to finish: the same words every time.
    return [...this.services.keys()].reverse().filter((name) => stopped.has(name));
  }

  // restart, pause and resume run only through `actions` (the control routes queue them): one at a time per service.

  /** Stops and relaunches one service (e.g. from the control API). */
  async restart(name: string): Promise<void> {
    const managed = this.services.get(name);
    if (!managed?.spec) throw new Error(`unknown or never started service "${name}"`);
    await this.stop(managed);
    Object.assign(managed, { crashes: 0, held: false });
    await this.relaunch(managed, true);
  }

  /** Stops one service and keeps it stopped (no restart) until `resume` or `restart`. */
  async pause(name: string): Promise<boolean> {
    const managed = this.services.get(name);
    if (!managed) throw new Error(`unknown service "${name}"`);
    managed.held = true;
    return this.stop(managed);
  }

  /** Starts a service stopped by `pause` again; a no-op when it is already running. */
  async resume(name: string): Promise<boolean> {
    const managed = this.services.get(name);
    if (!managed?.spec) throw new Error(`unknown or never started service "${name}"`);
    managed.held = false;
    if (managed.child) return false;
    managed.crashes = 0;
    await this.relaunch(managed, true);
    return true;
  }

  /**
   * Launches a service again after start-up (a restart, a resume, a crash) and waits for its health check as
   * start-up does, so the record says healthy or why not rather than "unknown" until the monitor's next round
   * (`zero up` right after a restart from the dashboard saw that gap as unhealthy). `requested`: a restart or start
   * asked for (its answer says why it could not launch); otherwise our own restart after a crash.
   */
  private async relaunch(managed: ManagedService, requested = false): Promise<void> {
    // Another program took a port while the service was down: a launch could only crash on it. Named as the start-up
    // check names it, and retried with the crash backoff, so the service comes back once the port is free.
    const taken = await takenPorts(managed.service);
    if (taken) {
      const reason = `cannot start: ${taken}`;
      this.record(managed, `[zero] ${managed.service.name} ${reason}`);
      managed.record.lastError = reason;
      const retrying = managed.service.restart !== "no";
      if (retrying) this.scheduleRestart(managed, reason, 0);
      else Object.assign(managed.record, { state: "failed", lastExit: reason });
      this.onChange();
      if (requested) {
        // Coded as the start-up check codes it: the CLI shows ZERO_PORT_IN_USE (exit 3), not an internal error.
        throw new ZeroError("ZERO_PORT_IN_USE", `${managed.service.name} ${reason}${retrying ? " (retried with a growing delay until it is free)" : ""}`);
      }
      return;
    }
    await this.launch(managed);
    const probe = this.probe(managed.service);
    const check = managed.service.healthcheck;
    if (!probe || !check || !managed.child) return;
    const gone = new AbortController(); // stopped or crashed meanwhile: that path records why
    managed.child.once("exit", () => gone.abort(new Error("exited")));
    const signal = AbortSignal.any([gone.signal, this.closing.signal]);
    try {
      await waitUntilHealthy(probe, {
        intervalMs: check.interval_ms,
        timeoutMs: check.timeout_ms,
        deadline: Date.now() + RELAUNCH_HEALTH_DEADLINE_MS,
        signal,
      });
      Object.assign(managed.record, { health: "healthy", lastError: undefined });
      managed.provenHealthy = true;
    } catch (error) {
      if (signal.aborted) return;
      Object.assign(managed.record, { health: "unhealthy", lastError: describeFailure(error) });
    }
    this.onChange();
  }

  private async launch(managed: ManagedService): Promise<void> {
    const spec = managed.spec!;
    const { service } = managed;
    // The invariant the queue keeps: one process per service. A second would hold the ports with no record of it.
    if (managed.child) throw new Error(`${service.name} already runs (pid ${managed.child.pid}); not launching a second`);
    Object.assign(managed, { stopping: false, failedChecks: 0, provenHealthy: false }, exitSignal());
    // Marked, so that a process that outlived every record of it is still found as this stack's (leftovers.ts).
    const env = { ...spec.env, ...serviceMarker(this.plan.home, service.name), ...(managed.gated && dependenciesFdEnv) };
    const child = launchGroup({ ...spec, env }, (line) => this.record(managed, line), managed.gated);
    if (managed.gated) gatePipe(child);
    // Held and recorded from the first moment (the pid exists once spawn returns), not after the spawn event.
    managed.child = child;
    if (child.pid) Object.assign(managed.record, { pid: child.pid, pgid: child.pid, startTime: processStartTime(child.pid) ?? "" });
    try {
      await once(child, "spawn"); // rejects with ENOENT & co. when the command cannot run
    } catch (error) {
      if (managed.child === child) managed.child = undefined;
      throw error;
    }
    const began = Date.now();
    Object.assign(managed.record, {
      pid: child.pid!,
      pgid: child.pid!,
      startTime: processStartTime(child.pid!) ?? "",
      state: managed.gated ? "starting" : "running", // a gated one runs once the gate opens
      health: "unknown",
      startedAt: new Date(began).toISOString(),
    } satisfies Partial<ServiceRecord>);
    this.onChange();
    // A run that lasts is no longer part of a crash loop (the backoff starts over at the next crash).
    clearTimeout(managed.stableTimer);
    managed.stableTimer = setTimeout(() => {
      if (managed.child !== child) return;
      managed.crashes = 0;
      if (managed.record.crashLooping) Object.assign(managed.record, { crashLooping: false });
      this.onChange();
    }, defaultBackoff.stableMs);
    managed.stableTimer.unref();
    child.once("exit", (code, signal) => {
      if (managed.child !== child) return;
      managed.child = undefined;
      if (managed.stopping) return;
      const reason = exitReason(code, signal);
      managed.record.lastError = reason;
      const uptimeMs = Date.now() - began;
      // Its last words before ours: 'exit' can come before the pipes' last lines (a Redis refusing a damaged file),
      // and the failure report quotes them.
      void outputDrained(child).then(() => {
        this.record(managed, `[zero] ${service.name} exited unexpectedly (${reason})`);
        managed.reportExit(reason);
        void this.afterCrash(managed, reason, uptimeMs, code === 0);
      });
    });
  }

  /**
   * Liveness: a service that failed `restart_after` health checks in a row is restarted like a crashed one (same
   * backoff). It catches what an exit cannot: a launcher that outlives its worker, a deadlocked server.
   */
  async restartUnhealthy(name: string, failures: number): Promise<void> {
    const managed = this.services.get(name);
    if (!managed?.child || managed.stopping || !this.startupDone) return;
    const child = managed.child;
    await this.queued(managed, "liveness restart", async () => {
      if (managed.child !== child || managed.stopping) return; // restarted or stopped by a request meanwhile
      const reason = `${failures} failed health checks in a row (${managed.record.lastError ?? "no detail"})`;
      this.record(managed, `[zero] ${name} is unhealthy: ${reason}; restarting it`);
      const uptimeMs = Date.now() - Date.parse(managed.record.startedAt);
      await this.stop(managed);
      Object.assign(managed.record, { lastError: reason });
      this.scheduleRestart(managed, reason, uptimeMs);
    });
  }

  /** Our own restarts go through the service's queue too; once the stack is going down they are dropped. */
  private async queued(managed: ManagedService, action: string, run: () => Promise<void>): Promise<void> {
    if (this.closing.signal.aborted) return;
    await this.actions.run(managed.service.name, action, run).catch((error: Error) => {
      if (this.closing.signal.aborted) return;
      managed.record.state = "failed";
      managed.record.lastError = error.message;
      this.onChange();
    });
  }

  /** Restart policy with capped exponential backoff; during start-up a crash fails the start instead. */
  private async afterCrash(managed: ManagedService, exit: string, uptimeMs: number, clean: boolean) {
    const policy = managed.service.restart;
    // The leader died; its children (e.g. the server under a file watcher) may still hold the ports.
    await stopGroup(managed.record.pgid, "SIGKILL", 0);
    managed.record.lastExit = exit;
    // Stopped or started again by a request meanwhile, or the stack is going down: no restart of our own.
    const superseded = () => managed.held || Boolean(managed.child) || this.closing.signal.aborted;
    if (superseded()) return this.onChange();
    // A port another program took (e.g. while the service restarted) is the likely cause: say who holds it.
    const taken = await takenPorts(managed.service);
    const reason = taken ? `${exit}; ${taken}` : exit;
    managed.record.lastExit = reason;
    if (superseded()) return this.onChange();
    if (!this.startupDone || policy === "no" || (policy === "on-failure" && clean)) {
      managed.record.state = clean ? "stopped" : "failed";
      this.onChange();
      return;
    }
    this.scheduleRestart(managed, reason, uptimeMs);
  }

  private scheduleRestart(managed: ManagedService, reason: string, uptimeMs: number): void {
    managed.crashes = nextCrashCount(managed.crashes, uptimeMs);
    const delayMs = restartDelay(managed.crashes);
    Object.assign(managed.record, {
      state: "restarting",
      health: "unknown",
      restarts: managed.record.restarts + 1,
      lastExit: reason,
      nextRetryAt: new Date(Date.now() + delayMs).toISOString(),
      crashLooping: managed.crashes >= CRASH_LOOP_AFTER,
    } satisfies Partial<ServiceRecord>);
    this.onChange();
    this.emit({ type: "restarting", service: managed.service.name, reason, delayMs });
    managed.restartTimer = setTimeout(() => {
      managed.restartTimer = undefined;
      managed.record.nextRetryAt = undefined;
      void this.queued(managed, "restart after a crash", async () => {
        // A request stopped it, or restarted it, while this waited its turn.
        if (managed.held || managed.child) return;
        await this.relaunch(managed);
      });
    }, delayMs);
  }

  /** Stops one service's whole process group; true if something was running. */
  private async stop(managed: ManagedService, processes?: () => ProcessEntry[]): Promise<boolean> {
    clearTimeout(managed.restartTimer);
    clearTimeout(managed.stableTimer);
    managed.restartTimer = undefined;
    managed.record.nextRetryAt = undefined;
    managed.stopping = true;
    if (!managed.child || !managed.spec) {
      managed.record.state = "stopped";
      return false;
    }
    const began = Date.now();
    managed.record.state = "stopping";
    this.emit({ type: "stopping", service: managed.service.name });
    this.onChange();
    const { survivors } = await stopGroup(managed.record.pgid, managed.spec.stopSignal, STOP_GRACE_MS, processes);
    if (survivors?.length) {
      const what = `${managed.service.name}: pid ${survivors.join(", ")} did not stop even after SIGKILL (stuck in the kernel, e.g. uninterruptible I/O); left behind`;
      this.record(managed, `[zero] ${what}`);
      this.emit({ type: "note", message: what });
      this.leftBehind.push(what);
    }
    managed.child = undefined;
    managed.record.state = "stopped";
    managed.record.health = "unknown";
    this.emit({ type: "stopped", service: managed.service.name, ms: Date.now() - began });
    this.onChange();
    return true;
  }

  /** A line of zero's own in a service's log (watch reloads, builds, followed restarts). */
  logLine(name: string, line: string): void {
    const managed = this.services.get(name);
    if (managed) this.record(managed, line);
  }

  /** Masks a line, appends it to the service's log file and hands it to live followers. */
  private record(managed: ManagedService, line: string) {
    const entry = { ts: new Date().toISOString(), service: managed.service.name, line: this.mask(line) };
    managed.log.write(entry.ts, entry.line);
    this.logs.publish(entry);
  }

  /** Keeps each record's health in step with what start-up observed. */
  private track(event: Parameters<EventSink>[0]) {
    const managed = "service" in event ? this.services.get(event.service) : undefined;
    if (!managed) return;
    if (event.type === "healthy") {
      managed.record.health = "healthy";
      managed.provenHealthy = true;
    }
    if (event.type === "failed") {
      managed.record.state = "failed";
      managed.record.lastError = event.reason;
    }
    this.onChange();
  }
}

function emptyRecord(service: Service): ServiceRecord {
  return { pid: 0, pgid: 0, startTime: "", ports: service.ports, state: "pending", health: "unknown", restarts: 0, startedAt: "" };
}

function exitSignal(): Pick<ManagedService, "exited" | "reportExit"> {
  let reportExit!: (reason: string) => void;
  const exited = new Promise<string>((resolve) => (reportExit = resolve));
  return { exited, reportExit };
}
