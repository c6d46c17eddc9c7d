import { readFileSync } from "node:fs";
import type { StackState } from "./state-reader.js";
import { statePath } from "./state-path.js";

/** What reaching the supervisor takes: its process (pid and start time) and its control API (port and token). */
export type SupervisorRecord = StackState["supervisor"];

/** The state file as read at one moment: the supervisor's record at once, the whole state validated on demand. */
export interface StateRecord {
  supervisor: SupervisorRecord;
  /** The whole state validated by its schema (zod, loaded then), or undefined when it does not match. */
  state(): Promise<StackState | undefined>;
}

/**
 * The state file read once, without zod: `zero status` and `zero down` reach the supervisor with its record, checked
 * here field by field, and send their request before zod is loaded (it compiles while the supervisor works). The
 * services' records are validated only by a path that stops them from the record (a dead or frozen supervisor).
 * Undefined when there is no state file or it is not one (as readState).
 */
export function readStateRecord(home: string): StateRecord | undefined {
  let raw: { version?: unknown; supervisor?: Record<string, unknown> };
  try {
    raw = JSON.parse(readFileSync(statePath(home), "utf8"));
  } catch {
    return undefined;
  }
  const supervisor = raw?.supervisor;
  const { pid, startTime, controlPort, token } = supervisor ?? {};
  if (raw.version !== 1 || !Number.isInteger(pid) || typeof startTime !== "string") return undefined;
  if (!Number.isInteger(controlPort) || typeof token !== "string") return undefined;
  return {
    supervisor: { pid: pid as number, startTime, controlPort: controlPort as number, token },
    state: async () => (await import("./state-reader.js")).parseState(raw),
  };
}
