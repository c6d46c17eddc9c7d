import { join } from "node:path";

/** Where the supervisor records the stack (read by state-reader.ts, written by state-file.ts). */
export function statePath(home: string): string {
  return join(home, "state.json");
}
