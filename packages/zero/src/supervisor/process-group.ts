import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { groupAlive } from "./process-info.js";

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

/** Launches a process as the leader of its own process group, streaming its output line by line. */
export function launchGroup(spec: LaunchSpec, onLine: (line: string) => void): ChildProcess {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    uid: spec.uid,
    gid: spec.gid,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", onLine);
  }
  return child;
}

/**
 * Signals the whole group, then SIGKILL after graceMs; done when the group is empty,
 * not merely when its leader exited (watchers leave children behind).
 */
export async function stopGroup(pgid: number, signal: NodeJS.Signals, graceMs: number): Promise<{ forced: boolean }> {
  if (!signalGroup(pgid, signal)) return { forced: false };
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return { forced: false };
    await sleep(10);
  }
  signalGroup(pgid, "SIGKILL");
  while (groupAlive(pgid)) await sleep(10);
  return { forced: true };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
