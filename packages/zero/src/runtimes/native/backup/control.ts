import type { Project } from "../../../config/project.js";
import { isSameProcess } from "../../../processes/process-info.js";
import { readState } from "../supervisor/state-reader.js";
import { controlClient } from "../supervisor-control.js";
import type { ControlClient } from "@zero/contracts/control-client";

/**
 * PostgreSQL under the running supervisor, stopped and started through its control API (the supervisor then
 * neither restarts it nor loses track of it); undefined when the stack is not running.
 */
export interface RunningPostgres {
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Why it is not coming up since the last start() (it crashed and is restarting, or failed); undefined while fine. */
  failure(): Promise<string | undefined>;
}

export function runningPostgres(project: Project, service: string): RunningPostgres | undefined {
  const state = readState(project.home);
  if (!state || !isSameProcess(state.supervisor.pid, state.supervisor.startTime)) return undefined;
  const initial = state.services[service];
  if (!initial || initial.state === "stopped" || initial.state === "failed") return undefined;
  return postgresUnderSupervisor(controlClient(state), service);
}

/** Stop, start and "why is it not coming up" of one service, through the control API. */
export function postgresUnderSupervisor(control: ControlClient, service: string): RunningPostgres {
  let restartsAtStart = 0;
  const record = async () => {
    const current = (await control.status({ timeoutMs: 5_000 })).services[service];
    if (!current) throw new Error(`the supervisor no longer runs ${service}`);
    return current;
  };
  return {
    stop: async () => void (await control.stop(service, { timeoutMs: 30_000 })),
    start: async () => {
      restartsAtStart = (await record()).restarts;
      await control.start(service, { timeoutMs: 30_000 });
    },
    failure: async () => {
      const current = await record();
      if (current.state === "failed" || current.state === "restarting" || current.restarts > restartsAtStart) {
        return current.lastError ?? `it is ${current.state}`;
      }
      return undefined;
    },
  };
}
