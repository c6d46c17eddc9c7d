import { stopGroup } from "../../processes/process-group.js";
import {
  groupAlive,
  groupMembers,
  isSameProcess,
  processStartTime,
  processTableOncePerTurn,
} from "../../processes/process-info.js";
import type { ServiceRecord, StackState } from "./supervisor/state-file.js";

/**
 * Stops what a dead supervisor left behind. A group is signalled only if its leader is the very
 * process we recorded (pid AND start time), or the leader is gone but its group lives on
 * (the kernel never reuses a pid while its process group exists). A reused pid is never killed.
 */
export async function stopOrphans(state: StackState): Promise<string[]> {
  const stopped: string[] = [];
  const processes = processTableOncePerTurn(); // the stops begin together: one reading of /proc
  await Promise.all(
    Object.entries(state.services).map(async ([name, record]) => {
      if (!isOurGroup(record)) return;
      await stopGroup(record.pgid, "SIGTERM", 5_000, processes);
      stopped.push(name);
    }),
  );
  return stopped;
}

/** The live processes of each service a dead supervisor left behind (same ownership test as stopOrphans). */
export function leftBehind(state: StackState): Record<string, number[]> {
  const found: Record<string, number[]> = {};
  for (const [name, record] of Object.entries(state.services)) {
    if (!isOurGroup(record)) continue;
    const pids = groupMembers(record.pgid);
    if (pids.length > 0) found[name] = pids;
  }
  return found;
}

function isOurGroup(record: ServiceRecord): boolean {
  if (!record.pgid) return false;
  const leaderIsOurs = isSameProcess(record.pid, record.startTime);
  const leaderGone = processStartTime(record.pid) === undefined;
  return leaderIsOurs || (leaderGone && groupAlive(record.pgid));
}
