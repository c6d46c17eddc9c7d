import type { ChildProcess, Serializable } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { groupAlive, isSameProcess, processStartTime } from "./process-info.js";
import { spawnDetached } from "./spawn-detached.js";

/**
 * The helper processes zero leaves running after the CLI exits (the native supervisor, the compose control server,
 * the Kubernetes port-forwarder): started detached in a process group of their own, told their plan over IPC,
 * waited for with a deadline, and stopped by the record of pid AND start time, so a reused pid is never signalled.
 */

/** Which process a helper is: its pid (also its process group's id) and its start time. */
export interface HelperRecord {
  pid: number;
  startTime: string;
}

/** What one of the helper's messages means to its starter: ready, failed (it exits next), or neither (go on). */
export type HelperAnswer<F> = { ready: true } | { failed: F } | undefined;

export interface HelperSpec<M, F> {
  /** The bundled entry point, run by this Node. */
  entry: URL;
  /** Its stdout and stderr are appended here. */
  logPath: string;
  cwd: string;
  /** Shown in `ps` (never a secret). */
  label?: string;
  /** Sent over IPC first (never argv: it may hold secrets). */
  plan: Serializable;
  /** Reads each of its messages. */
  answer: (message: M) => HelperAnswer<F>;
  /** How long it may take to say ready (or failed and exit); then it is stopped. */
  deadlineMs: number;
  /** How long a helper stopped at the deadline gets between SIGTERM and SIGKILL. */
  graceMs?: number;
}

/** How a start ended. Every outcome but ready carries the end of what the helper wrote to its log during this start. */
export type HelperStart<F> =
  | { ready: true; helper: HelperRecord }
  | { ready: false; why: "failed"; failure: F; logTail: string }
  | { ready: false; why: "exited"; exitCode: number | null; signal: NodeJS.Signals | null; logTail: string }
  | { ready: false; why: "timed out"; deadlineMs: number; logTail: string };

/** A helper's process, started and booting but not yet told its plan: checks can run meanwhile. */
export interface BootingHelper {
  readonly child: ChildProcess;
  readonly helper: HelperRecord;
  /** Where its log ended when it was started: its own lines start there (the file may hold earlier runs'). */
  readonly logStart: number;
  /** How it exited, once it has (it may die before it is told anything). */
  readonly exit: () => { exitCode: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Starts a helper's process; `startHelper` tells it its plan, `abandonHelper` stops it instead. */
export function bootHelper(
  spec: Pick<HelperSpec<unknown, unknown>, "entry" | "logPath" | "cwd" | "label">,
): BootingHelper {
  const logStart = logSize(spec.logPath);
  const child = spawnDetached(spec.entry, spec.logPath, spec.cwd, spec.label);
  // Taken now, while it surely runs: a start time read after it died would be someone else's or none.
  const helper = { pid: child.pid!, startTime: processStartTime(child.pid!) ?? "" };
  let exit: { exitCode: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once("exit", (exitCode, signal) => (exit = { exitCode, signal }));
  return { child, helper, logStart, exit: () => exit };
}

/** Stops a booted helper that will not be told its plan (it has started nothing), and waits until it is reaped. */
export async function abandonHelper({ child, exit }: BootingHelper): Promise<void> {
  if (!exit()) {
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await gone;
  }
  if (child.connected) child.disconnect();
}

/** Starts a helper (or tells one booted earlier its plan) and waits until it says ready, says it failed and exits, dies, or misses the deadline. */
export async function startHelper<M, F>(spec: HelperSpec<M, F>, booting = bootHelper(spec)): Promise<HelperStart<F>> {
  const { child, helper, logStart } = booting;
  // A helper that died meanwhile cannot take it: its exit, below, says so.
  if (!booting.exit()) child.send(spec.plan, () => {});
  type Ended = { ready: true } | { failed: F } | { exitCode: number | null; signal: NodeJS.Signals | null } | "late";
  let timer: NodeJS.Timeout | undefined;
  let failure: { failed: F } | undefined;
  const ended = await new Promise<Ended>((resolve) => {
    const exited = booting.exit();
    if (exited) return resolve(exited);
    child.on("message", (message: M) => {
      const answer = spec.answer(message);
      if (answer && "ready" in answer) resolve(answer);
      else if (answer) failure = answer; // it stops what it started, then exits: the exit settles this
    });
    child.once("exit", (exitCode, signal) => resolve(failure ?? { exitCode, signal }));
    timer = setTimeout(() => resolve("late"), spec.deadlineMs);
  });
  clearTimeout(timer);
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if (ended === "late") {
    await stopHelper(helper, { graceMs: spec.graceMs ?? 5_000 });
    // A failure it reported before hanging is the first error, and the one to give.
    if (failure)
      return { ready: false, why: "failed", failure: failure.failed, logTail: readLogTail(spec.logPath, logStart) };
    return {
      ready: false,
      why: "timed out",
      deadlineMs: spec.deadlineMs,
      logTail: readLogTail(spec.logPath, logStart),
    };
  }
  if ("ready" in ended) return { ready: true, helper };
  const logTail = readLogTail(spec.logPath, logStart);
  if ("failed" in ended) return { ready: false, why: "failed", failure: ended.failed, logTail };
  return { ready: false, why: "exited", exitCode: ended.exitCode, signal: ended.signal, logTail };
}

/** "the supervisor exited with code 1", "… was killed by SIGKILL", "… was not ready within 60 s (stopped)". */
export function whyNotReady(start: Exclude<HelperStart<unknown>, { ready: true }>, who = "it"): string {
  if (start.why === "timed out")
    return `${who} was not ready within ${Math.round(start.deadlineMs / 1000)} s (stopped)`;
  if (start.why === "exited")
    return start.signal ? `${who} was killed by ${start.signal}` : `${who} exited with code ${start.exitCode}`;
  return `${who} reported a failure`;
}

/** The log tail as an error's detail lines (shown escaped: a helper's output is not the terminal's to obey). */
export function logTailDetails(start: Exclude<HelperStart<unknown>, { ready: true }>): string[] {
  return start.logTail ? ["Its log ends with:", ...start.logTail.split("\n").map((line) => `  ${line}`)] : [];
}

/** True only while the recorded process itself runs (same pid and start time). */
export function helperRunning(helper: Partial<HelperRecord> | undefined): helper is HelperRecord {
  return helper?.pid !== undefined && isSameProcess(helper.pid, helper.startTime);
}

export interface StopOptions {
  /** How long after the signal before SIGKILL. */
  graceMs: number;
  /** The first signal; "none" when it was already asked to exit (over its API) and is only waited for. */
  signal?: NodeJS.Signals | "none";
}

/**
 * Stops a helper's process group: the signal, then SIGKILL at the deadline; done when the group is empty. A record
 * whose process no longer runs (or whose pid now belongs to another process) is left alone: `wasRunning: false`.
 */
export async function stopHelper(
  helper: Partial<HelperRecord> | undefined,
  { graceMs, signal = "SIGTERM" }: StopOptions,
): Promise<{ wasRunning: boolean; forced: boolean }> {
  if (!helperRunning(helper)) return { wasRunning: false, forced: false };
  const { pid, startTime } = helper;
  // Detached, a helper leads its own group, whose id is its pid (the check above makes that group its own); a
  // process that leads none (started otherwise) is signalled alone.
  const alone = signal !== "none" && !signalGroup(pid, signal) && signalOne(pid, signal);
  const alive = () => (alone ? isSameProcess(pid, startTime) : groupAlive(pid) || isSameProcess(pid, startTime));
  const began = Date.now();
  const deadline = began + graceMs;
  // Polled every 10 ms for the first second (a helper asked to exit is gone within tens of ms, and `make down` waits
  // for it: a look while it runs is a kill(0) and one small /proc read), then backing off to 100 ms.
  for (let pause = 10; Date.now() < deadline; pause = Date.now() - began < 1_000 ? 10 : Math.min(pause * 2, 100)) {
    if (!alive()) return { wasRunning: true, forced: false };
    await sleep(pause);
  }
  if (!alive()) return { wasRunning: true, forced: false };
  if (!signalGroup(pid, "SIGKILL") && isSameProcess(pid, startTime)) signalOne(pid, "SIGKILL");
  const killDeadline = Date.now() + 5_000; // a process in uninterruptible I/O may outlive SIGKILL: bounded
  while (alive() && Date.now() < killDeadline) await sleep(10);
  return { wasRunning: true, forced: true };
}

/** True if the group existed. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function signalOne(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // exited meanwhile
  }
}

function logSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    mkdirSync(dirname(path), { recursive: true });
    return 0;
  }
}

const TAIL_LINES = 12;
const TAIL_BYTES = 4096;

/** The last lines the helper wrote since `from` (at most TAIL_LINES, TAIL_BYTES): why it died, in its own words. */
export function readLogTail(path: string, from: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = statSync(path).size;
    const start = Math.max(from, size - TAIL_BYTES);
    const bytes = Buffer.alloc(Math.max(size - start, 0));
    readSync(fd, bytes, 0, bytes.length, start);
    const lines = bytes
      .toString("utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    if (start > from && lines.length > 0) lines.shift(); // cut mid-line
    return lines.slice(-TAIL_LINES).join("\n");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes a helper's record (0600), with whatever else its user keeps beside it. */
export function writeHelperRecord(path: string, helper: HelperRecord, extra: object = {}): void {
  writeFileSync(path, JSON.stringify({ ...extra, pid: helper.pid, startTime: helper.startTime }), { mode: 0o600 });
}

/** A helper's record as written, or undefined when there is none (or it cannot be read). */
export function readHelperRecord(path: string): (Partial<HelperRecord> & Record<string, unknown>) | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Partial<HelperRecord> & Record<string, unknown>;
  } catch {
    return undefined;
  }
}
