import type { StackService } from "@zero/contracts/control";
import type { ControlClient } from "@zero/contracts/control-client";
import type { ServiceStatus } from "../runtime.js";

/** Services as the state file records them or the control API reports them (with usage). */
export type ServiceRecords = Record<string, Omit<StackService, "kind" | "description" | "dependsOn" | "urls">>;

/**
 * The services as the running supervisor sees them now, health checked at once (fresh=1), as compose status does
 * from the host; the state file's records (which can lag a health-check round) when it does not answer in time.
 */
export async function liveStatuses(control: ControlClient, recorded: ServiceRecords): Promise<ServiceStatus[]> {
  try {
    return toStatuses((await control.status({ fresh: true, timeoutMs: 3_000 })).services);
  } catch {
    return toStatuses(recorded);
  }
}

/** After the supervisor died: every service failed, with the processes of it that still run (they may hold ports). */
export function orphanedStatuses(recorded: ServiceRecords, alive: Record<string, number[]>): ServiceStatus[] {
  return toStatuses(recorded).map((service) => ({
    ...service,
    state: "failed",
    health: "unknown",
    lastError: "supervisor is not running",
    orphanPids: alive[service.name],
  }));
}

/** The records as the Runtime interface's statuses (no pid or start time while nothing runs). */
export function toStatuses(services: ServiceRecords): ServiceStatus[] {
  return Object.entries(services).map(([name, record]) => ({
    name,
    state: record.state,
    health: record.health,
    pid: record.pid || undefined,
    startedAt: record.startedAt || undefined,
    restarts: record.restarts,
    ports: record.ports,
    lastError: record.lastError,
    lastCheckMs: record.lastCheckMs,
    lastExit: record.lastExit,
    nextRetryAt: record.nextRetryAt,
    crashLooping: record.crashLooping,
    cpu: record.cpu,
    memoryBytes: record.memoryBytes,
  }));
}
