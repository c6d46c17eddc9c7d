import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { removeTree } from "../../files/remove-tree.js";
import type { EventSink } from "../../orchestrate/events.js";
import { processStopped } from "../../processes/process-info.js";
import type { StackState } from "./supervisor/state-file.js";
import { readState } from "./supervisor/state-reader.js";
import { statePath } from "./supervisor/state-path.js";
import { assertDatabaseSupervised } from "./backup/unsupervised.js";
import type { ActionOutcome, DownOptions, DownResult, LogLine, LogQuery, Runtime, RuntimeCapabilities, ServiceStatus, UpOptions, UpResult } from "../runtime.js";
import { removeLinkedData } from "./service-user-place.js";
import { readLogFiles, streamLogs } from "./logs.js";
import { withoutSkipped } from "./skipped.js";
import { leftBehind } from "./orphans.js";
import { cleanUpAfterDeadSupervisor, stopLeftovers, stopRecordedStack, supervisorAlive } from "./stop-stack.js";
import { assertPortsFree } from "../../ports/check.js";
import { templateSnapshots } from "../../database/template-snapshots.js";
import { portVariable } from "../../stack/load.js";
import { spawnSupervisor } from "./supervisor-client.js";
import { isSupervisorBoot } from "./supervisor-boot.js";
import { controlClient } from "./supervisor-control.js";
import { actOnService } from "../../control/act-on-service.js";
import { liveStatuses, orphanedStatuses, toStatuses, unansweredStatuses } from "./service-statuses.js";

/** Runs the stack as local processes under a detached supervisor; needs no Docker. */
export class NativeRuntime implements Runtime {
  readonly name = "native";
  readonly refusesPlaceholderSecrets = false;
  readonly capabilities: RuntimeCapabilities = {
    status: (project) => this.status(project),
    logs: (project, query, onLine, signal) => this.logs(project, query, onLine, signal),
    traces: (project) => {
      const state = readState(project.home);
      return state && controlClient(state);
    },
    restart: (project, service) => this.control(project, service, "restart"),
    stop: (project, service) => this.control(project, service, "stop"),
    start: (project, service) => this.control(project, service, "start"),
    // Loaded on first use: `zero up` does not pay for the database tools.
    backup: {
      create: async (project, target, note) => (await import("./backup/backup.js")).createBackup(project, target, note),
    },
    debug: async (project, service) => (await import("./debug-foreground.js")).runPausedForDebugger(project, service),
    restore: async (project, target, file, note) => (await import("./backup/restore.js")).restoreBackup(project, target, file, note),
    snapshots: templateSnapshots,
  };

  dataLocation(project: Project): string {
    return `${project.home}/data`;
  }

  recordIn(home: string): string | undefined {
    return readState(home) ? statePath(home) : undefined;
  }

  assertDatabaseSupervised(project: Project, service: string): void {
    assertDatabaseSupervised(project, service);
  }

  async up(stackProject: Project, onEvent: EventSink, options: UpOptions = {}): Promise<UpResult> {
    const project = withoutSkipped(stackProject, onEvent);
    const state = readState(project.home);
    if (state && supervisorAlive(state)) {
      if (state.fingerprint !== project.fingerprint || state.profile !== project.profile) {
        throw new ZeroError("ZERO_STACK_RUNNING_OTHER", `A stack (profile "${state.profile}") is already running from ${project.root} with other settings.`);
      }
      // Never "already running and healthy" on the word of an old record: only the supervisor's own answer counts.
      const services = processStopped(state.supervisor.pid) ? undefined : await liveStatuses(controlClient(state));
      if (!services) throw notAnswering(state);
      return { alreadyRunning: true, services, owner: ownerOf(state) };
    }
    if (state) await cleanUpAfterDeadSupervisor(project.home, state, onEvent);
    await stopLeftovers(project.home, onEvent);
    await assertPortsFree(project.stack.services, (claim) => portVariable(project.stackFile, claim.service, claim.name));
    await spawnSupervisor(project, onEvent, isSupervisorBoot(options.early) ? options.early : undefined);
    const ready = readState(project.home);
    return { alreadyRunning: false, services: ready ? toStatuses(ready.services) : [], owner: ready ? ownerOf(ready) : undefined };
  }

  async down(project: Project, onEvent: EventSink, options: DownOptions = {}): Promise<DownResult> {
    const result = await stopRecordedStack(project.home, onEvent);
    const ephemeral = project.stackFile.profiles[project.profile]?.ephemeral;
    if (ephemeral || options.volumes) {
      const elsewhere = removeLinkedData(project.root, project.home);
      removeTree(join(project.home, "data"), [project.home]);
      onEvent({ type: "note", message: `${ephemeral ? `Profile ${project.profile} is ephemeral: removed` : "Removed"} its data in ${project.home}/data.` });
      for (const path of elsewhere) onEvent({ type: "note", message: `Removed ${path}.` });
      return { ...result, dataRemoved: true };
    }
    return result;
  }

  /** One service stopped, started or restarted by the supervisor (which then neither restarts nor forgets it). */
  private async control(project: Project, service: string, action: "restart" | "stop" | "start"): Promise<ActionOutcome> {
    const state = readState(project.home);
    if (!state || !supervisorAlive(state)) {
      throw new ZeroError("ZERO_SUPERVISOR_UNREACHABLE", `Cannot ${action} ${service}: the stack is not running.`, { next: "Start it with `make dev`." });
    }
    return actOnService(controlClient(state), service, action, 60_000);
  }

  private async status(project: Project): Promise<ServiceStatus[] | undefined> {
    const state = readState(project.home);
    if (!state) return undefined;
    if (!supervisorAlive(state)) {
      return orphanedStatuses(state.services, leftBehind(state));
    }
    const { pid } = state.supervisor;
    if (processStopped(pid)) return unansweredStatuses(state.services, `pid ${pid} is stopped (SIGSTOP, a debugger, a suspended session)`, pid);
    return (await liveStatuses(controlClient(state))) ?? unansweredStatuses(state.services, `pid ${pid} did not answer within 6 s`);
  }

  private async logs(project: Project, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
    const state = readState(project.home);
    if (state && supervisorAlive(state) && query.follow) return streamLogs(state, query, onLine, signal);
    (await readLogFiles(project, query)).forEach(onLine);
  }
}

function ownerOf(state: StackState) {
  return { pid: state.supervisor.pid, startTime: state.supervisor.startTime };
}

function notAnswering(state: StackState): ZeroError {
  const { pid } = state.supervisor;
  const stopped = processStopped(pid);
  return new ZeroError("ZERO_SUPERVISOR_UNREACHABLE", `The stack's supervisor (pid ${pid}) is running but ${stopped ? "stopped (SIGSTOP, a debugger, a suspended session)" : "not answering"}: nothing is starting, and its services' health is unknown.`, {
    next: `${stopped ? `Resume it with \`kill -CONT ${pid}\`, or run` : "Run"} \`make down\` (it stops the services from .zero/state.json and then the supervisor), then \`make dev\`.`,
  });
}
