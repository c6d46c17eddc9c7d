import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isSameProcess } from "../../../processes/process-info.js";
import { statePath } from "./state-path.js";
import type { StackState } from "./state-reader.js";

export type { ServiceRecord, StackState } from "./state-reader.js";
export { statePath };

/** Atomic write (temp file + rename) so a reader never sees half a file. Owner-only: it holds the API token. */
export function writeState(home: string, state: StackState): void {
  const path = statePath(home);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * The pid of another live supervisor recorded for this home, if any. Read without zod (the supervisor does not
 * load it); anything unreadable counts as none.
 */
export function otherLiveSupervisor(home: string): number | undefined {
  try {
    const { supervisor } = JSON.parse(readFileSync(statePath(home), "utf8")) as {
      supervisor?: { pid?: number; startTime?: string };
    };
    const pid = supervisor?.pid;
    return pid && pid !== process.pid && isSameProcess(pid, supervisor?.startTime) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removeState(home: string): void {
  rmSync(statePath(home), { force: true });
}
