import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { processStartTime } from "./process-info.js";

/**
 * The live processes of a server running on a data directory: on Linux every process whose working directory is it
 * (PostgreSQL's postmaster and each of its backends chdir there), plus the pid its postmaster.pid names if alive
 * (the only sign elsewhere). Finds a server whatever started it, so a data operation can refuse to work under it.
 */
export function processesWorkingIn(dataDir: string): number[] {
  const found = new Set<number>();
  let real: string;
  try {
    real = realpathSync(dataDir);
  } catch {
    return []; // no data directory: nothing can run on it
  }
  if (process.platform === "linux") {
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (readlinkSync(`/proc/${name}/cwd`) === real) found.add(Number(name));
      } catch {
        // exited, or not ours to read
      }
    }
  }
  const postmaster = pidFileOwner(join(real, "postmaster.pid"));
  if (postmaster !== undefined) found.add(postmaster);
  return [...found].filter((pid) => processStartTime(pid) !== undefined).sort((a, b) => a - b);
}

function pidFileOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
