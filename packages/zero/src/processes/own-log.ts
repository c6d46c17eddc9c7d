import { writeSync } from "node:fs";

/**
 * A line in a detached process's own log (its stdout is the log file, spawnDetached). A failed write (full or
 * read-only disk) is dropped, never thrown: the services it looks after matter more than this line.
 */
export function ownLog(message: string): void {
  try {
    writeSync(1, `${new Date().toISOString()} ${message}\n`);
  } catch {
    // dropped on purpose
  }
}
