import type * as ChildProcess from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * `ps` with these arguments, where there is no /proc (not Linux): node:child_process is loaded only then, so that
 * `zero status` and `zero down` on Linux do not load it (~3 ms of CPU).
 */
function ps(args: string[]): string {
  const { execFileSync } = createRequire(import.meta.url)("node:child_process") as typeof ChildProcess;
  return execFileSync("ps", args, { encoding: "utf8" });
}

/**
 * A process's start time as an opaque string, to tell a live process from a reused pid.
 * Linux: clock ticks since boot from /proc; elsewhere: `ps -o lstart`.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    if (process.platform === "linux") {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name (which may contain spaces): state is field 3, start time field 22.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (processState(pid, fields[0]!) === "Z") return undefined; // exited, waiting to be reaped: not running
      return fields[19];
    }
    return ps(["-o", "lstart=", "-p", String(pid)]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * True while the process is stopped (SIGSTOP, a debugger, a suspended session): alive, but it runs no code and
 * answers nothing until SIGCONT. Only SIGKILL reaches it.
 */
export function processStopped(pid: number): boolean {
  try {
    const state =
      process.platform === "linux"
        ? (() => {
            const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
            return stat.slice(stat.lastIndexOf(")") + 2)[0];
          })()
        : ps(["-o", "stat=", "-p", String(pid)]).trim()[0];
    return state === "T" || state === "t";
  } catch {
    return false;
  }
}

/** True only if pid is alive AND is the very process we recorded (same start time). */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  return startTime !== undefined && processStartTime(pid) === startTime;
}

/**
 * Whether any live process is left in a process group. Zombies do not count: in containers
 * whose init reaps slowly, an exited grandchild can linger as a zombie for seconds.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  // Stops poll this every 10 ms: the group's leader first (alive until the last moment of most stops), then /proc
  // only until the first live member, not the whole table (14-50 ms on a busy machine).
  if (leaderRuns(pgid)) return true;
  for (const entry of readProcesses()) if (entry.pgid === pgid && entry.state !== "Z") return true;
  return false;
}

/** Whether the process whose pid is the group's id still runs in that group (not a zombie). */
function leaderRuns(pgid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pgid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return processState(pgid, fields[0]!) !== "Z" && Number(fields[2]) === pgid;
  } catch {
    return false;
  }
}

/**
 * A process's state, "Z" only once all of its threads have exited. /proc/<pid>/stat is its main thread's: when a
 * multi-threaded process (Node, PostgreSQL's parallel workers) dies, that thread is a zombie first while the others
 * still exit, and the process's files (its listening sockets) are closed only after the last. Seen as gone then, a
 * stop reported a port free that was still bound, and the restart found it "held by a process zero cannot see".
 */
function processState(pid: number, mainThreadState: string): string {
  if (mainThreadState !== "Z") return mainThreadState;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      if (Number(tid) === pid) continue;
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2)[0]!;
      if (state !== "Z" && state !== "X") return state;
    }
  } catch {
    // the process or a thread was reaped while we read: as gone as it gets
  }
  return "Z";
}

/** The live pids of a process group (Linux; elsewhere `ps`). */
export function groupMembers(pgid: number): number[] {
  if (process.platform !== "linux") {
    const rows = ps(["-eo", "pid=,pgid=,stat="]).trim().split("\n");
    return rows
      .map((row) => row.trim().split(/\s+/))
      .filter(([, group, stat]) => Number(group) === pgid && !stat!.startsWith("Z"))
      .map(([pid]) => Number(pid));
  }
  return listProcesses()
    .filter((entry) => entry.pgid === pgid && entry.state !== "Z")
    .map((entry) => entry.pid);
}

/** One row per process from /proc: pid, parent, group, session and state (Linux only). */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** CPU time used so far (user + system), in clock ticks (CLOCK_TICKS_PER_SECOND). */
  cpuTicks: number;
  /** Clock ticks since boot when it started: with the pid, tells this process from a later one with its pid. */
  startTime: string;
}

/**
 * The unit of /proc's CPU times: Linux's USER_HZ, fixed at 100 for user space on every architecture (it is what
 * `getconf CLK_TCK` prints).
 */
export const CLOCK_TICKS_PER_SECOND = 100;

/** Every process in the table; `procRoot` is /proc but for tests, and a table that cannot be read throws. */
export function listProcesses(procRoot = "/proc"): ProcessEntry[] {
  return [...readProcesses(procRoot)];
}

/** A process's resident memory in bytes (VmRSS, what `ps -o rss` shows), undefined once it has exited (Linux only). */
export function residentBytes(pid: number, procRoot = "/proc"): number | undefined {
  try {
    const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`${procRoot}/${pid}/status`, "utf8"))?.[1];
    return kilobytes === undefined ? 0 : Number(kilobytes) * 1024; // a zombie has no memory left
  } catch {
    return undefined;
  }
}

/**
 * listProcesses, read once for every caller in the same turn of the event loop and afresh in the next: the stops
 * that begin together (`make down` stops a service's dependents at once, then what they used) each look for escaped
 * descendants first, and a reading of /proc costs 2-50 ms on a busy machine, one after the other.
 */
export function processTableOncePerTurn(): () => ProcessEntry[] {
  let table: ProcessEntry[] | undefined;
  return () => {
    if (!table) {
      table = listProcesses();
      setImmediate(() => {
        table = undefined;
      });
    }
    return table;
  };
}

function* readProcesses(procRoot = "/proc"): Generator<ProcessEntry> {
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`${procRoot}/${name}/stat`, "utf8");
      // After the command name (which may contain spaces), from field 3 of proc(5): state, ppid, pgrp, session, …
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      yield {
        pid: Number(name),
        state: processState(Number(name), fields[0]!),
        ppid: Number(fields[1]),
        pgid: Number(fields[2]),
        sid: Number(fields[3]),
        cpuTicks: Number(fields[11]) + Number(fields[12]), // utime + stime
        startTime: fields[19]!,
      };
    } catch {
      // exited while we read
    }
  }
}

/** The command line of a process, for "who holds this port" messages. */
export function processCommand(pid: number): string | undefined {
  try {
    const command =
      process.platform === "linux"
        ? readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ")
        : ps(["-o", "command=", "-p", String(pid)]);
    // One line, whatever the arguments contain (e.g. an inline script), so it fits in a message.
    return command.replace(/\s+/g, " ").trim() || undefined;
  } catch {
    return undefined;
  }
}
