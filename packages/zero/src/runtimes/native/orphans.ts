import { stopGroup } from "../../supervisor/process-group.js";
import { groupAlive, isSameProcess, processStartTime } from "../../supervisor/process-info.js";
import type { StackState } from "../../supervisor/state-file.js";

/**
 * Stops what a dead supervisor left behind. A group is signalled only if its leader is the very
 * process we recorded (pid AND start time), or the leader is gone but its group lives on
 * (the kernel never reuses a pid while its process group exists). A reused pid is never killed.
 */
export async function stopOrphans(state: StackState): Promise<string[]> {
  const stopped: string[] = [];
  await Promise.all(
    Object.entries(state.services).map(async ([name, record]) => {
      if (!record.pgid) return;
      const leaderIsOurs = isSameProcess(record.pid, record.startTime);
      const leaderGone = processStartTime(record.pid) === undefined;
      if (!leaderIsOurs && !(leaderGone && groupAlive(record.pgid))) return;
      await stopGroup(record.pgid, "SIGTERM", 5_000);
      stopped.push(name);
    }),
  );
  return stopped;
}
