import { basename, join } from "node:path";
import { abandonHelper, type BootingHelper, bootHelper } from "../../processes/helper-process.js";
import { checkLogsWritable, logsUnwritable, refusesWrites, rotateIfFull } from "./supervisor/log-file.js";

/** The supervisor's process, started for the stack in `root` with its home in `home`, booting until told its plan. */
export interface SupervisorBoot {
  root: string;
  home: string;
  booting: BootingHelper;
  /** The log folder's write check, begun as it was started: settled before it is told its plan (`spawnSupervisor`). */
  logsWritable: Promise<void>;
  /** Set once a start has taken it: an unused one is stopped (`releaseBoot`). */
  taken?: boolean;
}

/** Whether what `zero up` started early (UpOptions.early) is a booting supervisor. */
export function isSupervisorBoot(value: unknown): value is SupervisorBoot {
  return typeof value === "object" && value !== null && "booting" in value && "home" in value;
}

/**
 * Starts the supervisor's process (its Node and code load meanwhile); its plan comes with `spawnSupervisor`. The log
 * folder's write check runs beside it: a folder it cannot even open its log in fails here, one that is full or
 * read-only otherwise fails `logsWritable`, before the plan is sent (nothing has started by then).
 */
export function bootSupervisor(root: string, home: string): SupervisorBoot {
  const logs = join(home, "logs");
  const logPath = join(logs, "supervisor.log");
  let booting: BootingHelper;
  try {
    rotateIfFull(logPath); // services' logs rotate as they are written; this one at each start
    booting = bootHelper({ entry: SUPERVISOR_ENTRY, logPath, cwd: root, label: basename(root) });
  } catch (error) {
    throw refusesWrites(error) ? logsUnwritable(logs, error) : error;
  }
  const logsWritable = checkLogsWritable(logs);
  logsWritable.catch(() => {}); // awaited by whoever takes or releases it; never an unhandled rejection meanwhile
  return { root, home, booting, logsWritable };
}

/** Stops a booted supervisor no start took (it has started nothing); a no-op for one that was taken. */
export async function releaseBoot(boot: SupervisorBoot | undefined): Promise<void> {
  if (boot && !boot.taken) {
    boot.taken = true;
    await abandonHelper(boot.booting);
  }
}

/** The supervisor's bundle, beside this one in dist/. */
export const SUPERVISOR_ENTRY = new URL("./supervisor.js", import.meta.url);
