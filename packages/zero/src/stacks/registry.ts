import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { withLifecycleLock } from "../orchestrate/lifecycle-lock.js";
import { busyPorts } from "../ports/check.js";
import { isSameProcess, processStartTime } from "../processes/process-info.js";

/** The process whose life is the stack's: `zero up` while it starts, then the native supervisor. */
export interface StackOwner {
  pid: number;
  startTime: string;
}

/** One stack of this user on this machine, as `zero stacks` lists it. */
export interface StackEntry {
  /** The checkout's folder name: what tells two checkouts of one stack apart. */
  name: string;
  root: string;
  home: string;
  branch?: string;
  runtime: string;
  profile: string;
  ports: number[];
  urls: Record<string, string>;
  startedAt: string;
  /** stack.yaml's and the .env* files' hash when the project was loaded: unchanged, status and down trust the record. */
  configHash?: string;
  state: "starting" | "running";
  /** Its profile deletes the data at `down` (the CLI's record path stops only stacks whose entry says false). */
  ephemeral?: boolean;
  /** Absent for container runtimes: they outlive zero, and are taken as alive while one of their ports is held. */
  owner?: StackOwner;
}

export type StackLiveness = "starting" | "running" | "gone";

/**
 * The per-user registry folder: $ZERO_STATE_DIR, else $XDG_STATE_HOME/zero-to-running, else
 * ~/.local/state/zero-to-running (private: 0700, its files 0600).
 */
export function registryDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.ZERO_STATE_DIR || join(env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "zero-to-running");
  return join(base, "stacks");
}

function entryPath(dir: string, home: string): string {
  return join(dir, `${createHash("sha256").update(home).digest("hex").slice(0, 16)}.json`);
}

export function readEntries(dir = registryDir()): StackEntry[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    try {
      return [JSON.parse(readFileSync(join(dir, file), "utf8")) as StackEntry];
    } catch {
      return []; // half-written by a crashed writer: writes are atomic, so this is a stray temp file at most
    }
  });
}

/** Writes (or replaces) the entry of one stack home, atomically. */
export function writeEntry(entry: StackEntry, dir = registryDir()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = entryPath(dir, entry.home);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(entry, null, 2), { mode: 0o600 });
  renameSync(temporary, path);
}

export function removeEntry(home: string, dir = registryDir()): void {
  rmSync(entryPath(dir, home), { force: true });
}

/** Whether the stack still runs: its owner process is the recorded one, or (containers) one of its ports is held. */
export async function liveness(entry: StackEntry): Promise<StackLiveness> {
  if (entry.owner) return isSameProcess(entry.owner.pid, entry.owner.startTime) ? entry.state : "gone";
  const held = await busyPorts(entry.ports.map((port) => ({ service: "", name: "", port })));
  return held.length > 0 ? entry.state : "gone";
}

/** This process as an owner (a starting stack is alive exactly as long as its `zero up`). */
export function thisProcess(): StackOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid) ?? "" };
}

/**
 * Runs work holding the registry's lock: two `make dev` in two checkouts started at the same moment choose their
 * ports one after the other, each seeing the ports the other claimed.
 */
export function withRegistryLock<T>(work: () => Promise<T>, dir = registryDir()): Promise<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return withLifecycleLock(dir, "up (choosing ports)", work, { waitMs: 30_000 });
}
