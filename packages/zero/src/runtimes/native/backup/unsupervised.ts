import type { Project } from "../../../config/project.js";
import { ZeroError } from "../../../errors/zero-error.js";
import { isSameProcess, processCommand } from "../../../processes/process-info.js";
import { processesWorkingIn } from "../../../processes/working-in.js";
import { serviceDataDir } from "../data-dir.js";
import { readState } from "../supervisor/state-reader.js";

/**
 * Refuses a data operation (restore, reset, migrate, seed, backup) while a PostgreSQL runs on the service's data
 * directory and no live supervisor controls it (the supervisor was killed, the server kept running): a restore
 * would swap the directory under the live server, and the others would work on a server nothing watches.
 */
export function assertDatabaseSupervised(project: Project, service: string): void {
  const state = readState(project.home);
  if (state && isSameProcess(state.supervisor.pid, state.supervisor.startTime)) return;
  const dataDir = serviceDataDir(project.home, service);
  const pids = processesWorkingIn(dataDir);
  if (pids.length === 0) return;
  throw new ZeroError(
    "ZERO_DATABASE_UNSUPERVISED",
    `${service} still runs on ${dataDir} outside zero's control (${pids.length} process${pids.length === 1 ? "" : "es"}); nothing was changed.`,
    {
      details: pids.slice(0, 5).map((pid) => `pid ${pid}: ${(processCommand(pid) ?? "unknown").slice(0, 120)}`),
      why: state
        ? "The supervisor that started it is gone (killed or crashed) and the server kept running; changing its data under it would break it."
        : "A PostgreSQL that zero does not supervise runs on this stack's data directory; changing its data under it would break it.",
    },
  );
}
