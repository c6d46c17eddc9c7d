import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { decodeLogBytes } from "@zero/contracts/log-line";
import { setTimeout as sleep } from "node:timers/promises";
import {
  groupAlive,
  groupMembers,
  isSameProcess,
  listProcesses,
  type ProcessEntry,
  processStartTime,
} from "./process-info.js";

/** Everything needed to launch one service process. */
export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** Run as this user (PostgreSQL refuses root). */
  uid?: number;
  gid?: number;
  /** The signal that asks this program to shut down quickly (PostgreSQL: SIGINT = fast mode). */
  stopSignal: NodeJS.Signals;
}

/**
 * Launches a process as the leader of its own process group, streaming its output line by line. extraPipe: a pipe
 * on its fd 3 too (child.stdio[3], ours to write), e.g. the start_early gate.
 */
export function launchGroup(spec: LaunchSpec, onLine: (line: string) => void, extraPipe = false): ChildProcess {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    uid: spec.uid,
    gid: spec.gid,
    detached: true,
    stdio: extraPipe ? ["ignore", "pipe", "pipe", "pipe"] : ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) readLines(stream, onLine);
  return child;
}

/**
 * Resolves once a child's output pipes have closed (every line read), or after `capMs`: a grandchild that
 * inherited them may hold them open for as long as it lives.
 */
export function outputDrained(child: ChildProcess, capMs = 250): Promise<void> {
  const pipes = [child.stdout, child.stderr].filter((pipe) => pipe && !pipe.closed);
  if (pipes.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, capMs);
    let open = pipes.length;
    for (const pipe of pipes) {
      pipe!.once("close", () => {
        if (--open === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

/** Longest line kept, in bytes: a 20 MB line made `logs tail=50` answer 21 MB and the supervisor grow by 84 MB. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Calls onLine for each line of a byte stream ("\n" or "\r\n"), decoded by the one log decoder: bytes that are
 * not UTF-8 are kept, shown as "\xff" (readline would turn them into U+FFFD). A line longer than MAX_LINE_BYTES
 * keeps its start; the rest is counted, not held in memory, and the line says how much was cut.
 */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = Buffer.alloc(0);
  let cut = 0;
  const keep = (bytes: Buffer) => {
    const room = MAX_LINE_BYTES - pending.length;
    if (bytes.length > room) cut += bytes.length - Math.max(room, 0);
    if (room > 0) pending = Buffer.concat([pending, bytes.subarray(0, room)]);
  };
  const emit = () => {
    const bytes = cut === 0 && pending.at(-1) === 0x0d ? pending.subarray(0, -1) : pending;
    onLine(cut === 0 ? decodeLogBytes(bytes) : `${decodeLogBytes(bytes)} … [${cut} more bytes of this line truncated]`);
    pending = Buffer.alloc(0);
    cut = 0;
  };
  stream.on("data", (chunk: Buffer) => {
    let data = chunk;
    for (let end = data.indexOf(0x0a); end !== -1; end = data.indexOf(0x0a)) {
      keep(data.subarray(0, end));
      emit();
      data = data.subarray(end + 1);
    }
    keep(data);
  });
  stream.once("end", () => {
    if (pending.length > 0 || cut > 0) emit();
  });
}

/**
 * Signals the whole group, then SIGKILL after graceMs; done when the group is empty,
 * not merely when its leader exited (watchers leave children behind). `processes` reads the process table (stops
 * that begin together share one reading: processTableOncePerTurn).
 */
export async function stopGroup(
  pgid: number,
  signal: NodeJS.Signals,
  graceMs: number,
  processes: () => ProcessEntry[] = listProcesses,
): Promise<{ forced: boolean; survivors?: number[] }> {
  // Found before signalling: once their parents exit, escaped processes are re-parented and cannot be traced.
  const strays = escapedDescendants(pgid, processes);
  const inGroup = signalGroup(pgid, signal);
  for (const stray of strays) signalProcess(stray, signal);
  if (!inGroup && strays.length === 0) return { forced: false };
  const alive = () => groupAlive(pgid) || strays.some((stray) => isSameProcess(stray.pid, stray.startTime));
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive()) return { forced: false };
    await sleep(10);
  }
  signalGroup(pgid, "SIGKILL");
  for (const stray of strays) signalProcess(stray, "SIGKILL");
  // SIGKILL takes effect when the process leaves the kernel: one stuck in uninterruptible I/O (state D, a dead NFS
  // mount) may never. Bounded, so that `make down` ends and names what did not stop.
  const killDeadline = Date.now() + KILL_WAIT_MS;
  while (alive() && Date.now() < killDeadline) await sleep(10);
  if (!alive()) return { forced: true };
  const left = [...groupMembers(pgid), ...strays.filter((s) => isSameProcess(s.pid, s.startTime)).map((s) => s.pid)];
  return { forced: true, survivors: left };
}

/** How long a stop waits for SIGKILL to take effect before it reports the survivors. */
const KILL_WAIT_MS = 5_000;

interface Stray {
  pid: number;
  startTime: string | undefined;
}

/**
 * Descendants that left the service's process group (setsid, setpgid): children, by parent pid, of anything in its
 * group or session. Linux only. A process whose parent already exited before the stop is re-parented to init and
 * cannot be found this way (docs/reliability.md: a cgroup would be needed).
 */
export function escapedDescendants(pgid: number, table: () => ProcessEntry[] = listProcesses): Stray[] {
  if (process.platform !== "linux") return [];
  const processes = table().filter((entry) => entry.state !== "Z");
  const children = new Map<number, number[]>();
  for (const entry of processes) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry.pid]);
  const byPid = new Map(processes.map((entry) => [entry.pid, entry]));
  const queue = processes.filter((entry) => entry.pgid === pgid || entry.sid === pgid).map((entry) => entry.pid);
  const seen = new Set(queue);
  const strays: Stray[] = queue
    .filter((pid) => byPid.get(pid)!.pgid !== pgid)
    .map((pid) => ({ pid, startTime: processStartTime(pid) }));
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push(child);
      if (byPid.get(child)?.pgid !== pgid) strays.push({ pid: child, startTime: processStartTime(child) });
    }
  }
  return strays;
}

function signalProcess(stray: Stray, signal: NodeJS.Signals): void {
  if (!isSameProcess(stray.pid, stray.startTime)) return; // exited, and its pid may be someone else's now
  try {
    process.kill(stray.pid, signal);
  } catch {
    // exited meanwhile
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
