import type { EventSink } from "../../orchestrate/events.js";
import { helperRunning, stopHelper } from "../../processes/helper-process.js";
import { processStopped } from "../../processes/process-info.js";
import type { DownResult } from "../runtime.js";
import { stopUnrecorded } from "./leftovers.js";
import { stopOrphans } from "./orphans.js";
import { controlClient } from "./supervisor-control.js";
import { removeState, type StackState } from "./supervisor/state-file.js";
import { readStateRecord, type StateRecord } from "./supervisor/state-record.js";

/**
 * Stops the native stack recorded in a home, from its state file alone (no stack.yaml, no .env): `zero down` takes
 * this path whether or not the configuration loads. Every wait is bounded; whatever a dead or frozen supervisor left
 * is stopped from the record (validated then: the usual way down only needs the supervisor's part of it).
 */
export async function stopRecordedStack(
  home: string,
  onEvent: EventSink,
  record = readStateRecord(home),
): Promise<DownResult> {
  if (!record || !helperRunning(record.supervisor)) {
    const state = await record?.state();
    const recorded = state ? await cleanUpAfterDeadSupervisor(home, state, onEvent) : [];
    const orphansStopped = [...new Set([...recorded, ...(await stopLeftovers(home, onEvent))])];
    return { stopped: [], nothingRunning: orphansStopped.length === 0, orphansStopped };
  }
  const { supervisor } = record;
  if (processStopped(supervisor.pid)) {
    // Stopped (SIGSTOP, a debugger): it would answer nothing and no SIGTERM reaches it. Its services are in the
    // record: SIGKILL it first (it cannot wake up and restart them), then stop them as after a crash.
    await stopHelper(supervisor, { signal: "SIGKILL", graceMs: EXIT_WAIT_MS });
    const orphansStopped = await cleanUpAfterDead(home, record, onEvent, "was stopped (not answering)");
    return { stopped: [], nothingRunning: false, orphansStopped };
  }
  try {
    const { stopped, leftBehind = [] } = await controlClient({ supervisor }).down({ timeoutMs: 60_000 });
    for (const what of leftBehind) onEvent({ type: "note", message: `WARNING: ${what}` });
    await stopHelper(supervisor, { signal: "none", graceMs: EXIT_WAIT_MS }); // it exits by itself after answering
    return { stopped, nothingRunning: false, orphansStopped: [] };
  } catch {
    // The supervisor is alive but not answering: signal it, then clean up whatever it leaves.
    await stopHelper(supervisor, { graceMs: EXIT_WAIT_MS });
    const orphansStopped = await cleanUpAfterDead(home, record, onEvent, "did not answer");
    return { stopped: [], nothingRunning: false, orphansStopped };
  }
}

/** After the supervisor was killed or stopped: its services from the record; a record that does not validate is cleared. */
async function cleanUpAfterDead(
  home: string,
  record: StateRecord,
  onEvent: EventSink,
  what: string,
): Promise<string[]> {
  const state = await record.state();
  if (state) return cleanUpAfterDeadSupervisor(home, state, onEvent, what);
  removeState(home);
  return stopLeftovers(home, onEvent);
}

/** Stops what a dead (or killed) supervisor left running and clears its record; returns the services stopped. */
export async function cleanUpAfterDeadSupervisor(
  home: string,
  state: StackState,
  onEvent: EventSink,
  what = "had died",
): Promise<string[]> {
  const stopped = await stopOrphans(state);
  if (stopped.length > 0) {
    onEvent({ type: "note", message: `The supervisor ${what}; stopped what it left running: ${stopped.join(", ")}.` });
  }
  removeState(home);
  return stopped;
}

/**
 * Stops what runs of this stack with no record at all (a client or supervisor that died at the wrong moment), so
 * that `make dev` starts instead of failing on its own leftover's port. Only with no live supervisor on the home.
 */
export async function stopLeftovers(home: string, onEvent: EventSink): Promise<string[]> {
  const stopped = await stopUnrecorded(home);
  if (stopped.length > 0) {
    onEvent({
      type: "note",
      message: `Found ${stopped.join(", ")} of this stack running with no record (left by a client or supervisor that died); stopped.`,
    });
  }
  return stopped;
}

export function supervisorAlive(state: Pick<StackState, "supervisor">): boolean {
  return helperRunning(state.supervisor);
}

/** How long the supervisor gets to exit (after answering `down`, or after SIGTERM) before SIGKILL. */
const EXIT_WAIT_MS = 5_000;
