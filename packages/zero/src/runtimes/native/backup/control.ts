import type { Project } from "../../../config/project.js";
import { isSameProcess } from "../../../supervisor/process-info.js";
import { readState, type StackState } from "../../../supervisor/state-file.js";
import { callSupervisor } from "../supervisor-client.js";

/**
 * PostgreSQL under the running supervisor, stopped and started through its control API (the supervisor then
 * neither restarts it nor loses track of it); undefined when the stack is not running.
 */
export interface RunningPostgres {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function runningPostgres(project: Project, service: string): RunningPostgres | undefined {
  const state = readState(project.home);
  if (!state || !isSameProcess(state.supervisor.pid, state.supervisor.startTime)) return undefined;
  const record = state.services[service];
  if (!record || record.state === "stopped" || record.state === "failed") return undefined;
  return {
    stop: async () => void (await call(state, "stop", service)),
    start: async () => void (await call(state, "start", service)),
  };
}

function call(state: StackState, action: "stop" | "start", service: string) {
  return callSupervisor(state, "POST", `/v1/services/${encodeURIComponent(service)}/${action}`, 30_000);
}
