import type { StackStatus } from "@zero/contracts/control";
import type { ControlClient } from "@zero/contracts/control-client";
import { NOT_ANSWERING, type ServiceRecord, type ServiceStatus } from "../runtime.js";
import { statusOf } from "../service-status.js";

/** Services as the state file records them or the control API reports them (with usage). */
export type ServiceRecords = Record<string, ServiceRecord>;

/**
 * The services as the running supervisor sees them now, health checked at once (fresh=1), as compose status does
 * from the host; undefined when it does not answer in time.
 */
export async function liveStatuses(control: ControlClient): Promise<ServiceStatus[] | undefined> {
  const status = await liveStatus(control);
  return status && toStatuses(status.services);
}

/** The control API's own answer (with what stack.yaml says of each service: its URLs), or undefined as above. */
export async function liveStatus(control: ControlClient): Promise<StackStatus | undefined> {
  // Fresh checks can outlast 3 s on a loaded machine; then the supervisor's last round, if it answers at all.
  for (const fresh of [true, false]) {
    try {
      return await control.status({ fresh, timeoutMs: 3_000 });
    } catch {
      // asked again without fresh checks, then given up
    }
  }
  return undefined;
}

/**
 * The supervisor lives but does not answer (stopped by SIGSTOP or a debugger, or hung): its services are as the
 * state file last recorded them, health unknown (nobody checks it), never "healthy" from an old record.
 */
export function unansweredStatuses(recorded: ServiceRecords, why: string, stoppedPid?: number): ServiceStatus[] {
  return toStatuses(recorded).map((service) => ({
    ...service,
    health: "unknown",
    lastError: `${NOT_ANSWERING}: ${why}`,
    problem: { code: "supervisor-not-answering", why, ...(stoppedPid ? { stoppedPid } : {}) },
  }));
}

/** After the supervisor died: every service failed, with the processes of it that still run (they may hold ports). */
export function orphanedStatuses(recorded: ServiceRecords, alive: Record<string, number[]>): ServiceStatus[] {
  return toStatuses(recorded).map((service) => ({
    ...service,
    state: "failed",
    health: "unknown",
    lastError: "supervisor is not running",
    orphanPids: alive[service.name],
    problem: { code: "supervisor-gone" },
  }));
}

/** The records as the Runtime interface's statuses (no pid or start time while nothing runs). */
export function toStatuses(services: ServiceRecords): ServiceStatus[] {
  return Object.entries(services).map(([name, record]) => statusOf(name, record));
}
