import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { stopGroup } from "../../processes/process-group.js";
import {
  listProcesses,
  processCommand,
  processStartTime,
  processTableOncePerTurn,
} from "../../processes/process-info.js";

/** The variable every service process zero launches carries: `<home>#<service>`, so that a leftover can be found. */
export const SERVICE_MARKER = "ZERO_SERVICE";

export function serviceMarker(home: string, service: string): Record<string, string> {
  return { [SERVICE_MARKER]: `${home}#${service}` };
}

/**
 * Processes of a stack's home that no record holds: a client or supervisor that died at the wrong moment could
 * leave a server started after the record was removed (PostgreSQL listening, `make status` saying "Nothing is
 * running", the next `make dev` failing with ZERO_PORT_IN_USE). Found on Linux by the marker in their environment
 * (PostgreSQL and Redis overwrite theirs with their process title) or, for a server, by running as zero launches it
 * in a service's data folder: leader of its own session, no terminal (a developer's shell in that folder has one);
 * anywhere by the pid file PostgreSQL keeps in its data directory. Only with no live supervisor on the home.
 */
export function unrecordedProcesses(home: string): Map<number, string> {
  const found = new Map<number, string>(); // process group → service
  const marker = Buffer.from(`\0${SERVICE_MARKER}=${home}#`); // as the environment holds it: UTF-8
  if (process.platform === "linux") {
    const folders = new Map(dataFolders(home).map((service) => [realPath(join(home, "data", service)), service]));
    const candidates = new Map<number, { ppid: number; pgid: number; service: string }>();
    for (const entry of listProcesses()) {
      if (entry.pid === process.pid || entry.state === "Z") continue;
      const marked = markedService(entry.pid, marker);
      const server =
        entry.sid === entry.pid && !hasTerminal(entry.pid) ? folders.get(workingFolder(entry.pid) ?? "") : undefined;
      const service = marked ?? server;
      if (service) candidates.set(entry.pid, { ...entry, service });
    }
    // Only the topmost of each tree: PostgreSQL's workers lead their own sessions too, and stop with their postmaster.
    for (const { ppid, pgid, service } of candidates.values()) if (!candidates.has(ppid)) found.set(pgid, service);
  }
  for (const service of dataFolders(home)) {
    const pid = postmasterPid(join(home, "data", service));
    // A pid file left by a crash may name a pid reused since: only a live PostgreSQL counts.
    if (pid && processStartTime(pid) !== undefined && /postgres|postmaster/.test(processCommand(pid) ?? ""))
      found.set(pid, service);
  }
  return found;
}

/** Stops every unrecorded process group of the home (the stop signal, then SIGKILL after 5 s); names the services. */
export async function stopUnrecorded(home: string): Promise<string[]> {
  const found = unrecordedProcesses(home);
  // SIGINT: PostgreSQL's fast shutdown (SIGTERM waits for clients); the others stop on it as on SIGTERM.
  const processes = processTableOncePerTurn(); // the stops begin together: one reading of /proc
  await Promise.all([...found.keys()].map((pgid) => stopGroup(pgid, "SIGINT", 5_000, processes)));
  return [...new Set(found.values())].sort();
}

/**
 * The service named by the process's marker variable (`marker`: NUL, then `<SERVICE_MARKER>=<home>#`), if it has one.
 * Searched in the raw bytes: decoding and splitting every process's environment was half the scan's CPU, on the way
 * of `zero up`.
 */
function markedService(pid: number, marker: Buffer): string | undefined {
  let environment: Buffer;
  try {
    environment = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return undefined; // exited, or another user's
  }
  // The first variable has no NUL before it.
  const first = environment.subarray(0, marker.length - 1).equals(marker.subarray(1));
  const at = first ? -1 : environment.indexOf(marker);
  if (!first && at === -1) return undefined;
  const start = at + marker.length;
  const end = environment.indexOf(0, start);
  return environment.toString("utf8", start, end === -1 ? undefined : end);
}

function workingFolder(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function hasTerminal(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[4]) !== 0; // tty_nr
  } catch {
    return true; // unreadable: not ours to judge
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function dataFolders(home: string): string[] {
  try {
    return readdirSync(join(home, "data"));
  } catch {
    return [];
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
