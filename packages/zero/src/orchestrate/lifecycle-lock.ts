import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ZeroError } from "../errors/zero-error.js";
import { isSameProcess, processStartTime } from "../processes/process-info.js";

/** Who holds the lock: enough to tell a live holder from a dead one whose pid was reused. */
interface Holder {
  pid: number;
  startTime: string;
  command: string;
}

export interface LockOptions {
  /** How long to wait for another holder before giving up with ZERO_STACK_BUSY. */
  waitMs?: number;
  /** Called once when we have to wait, with what the holder is doing. */
  onWait?: (message: string) => void;
}

/**
 * Runs `work` holding the stack's lifecycle lock (up, down, reset, restore): two of them at once could each start
 * a supervisor, or stop what the other starts. The lock is a file created with O_EXCL holding the holder's pid and
 * start time; a holder that died (kill -9, power loss) is detected by that pair and its lock taken over.
 */
export async function withLifecycleLock<T>(
  home: string,
  command: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const path = lockPath(home);
  mkdirSync(home, { recursive: true });
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  let told = false;
  for (;;) {
    if (tryAcquire(path, command)) break;
    const holder = readHolder(path);
    if (holder && !isSameProcess(holder.pid, holder.startTime)) {
      takeOverStale(path, holder);
      continue;
    }
    if (!holder && ageMs(path) > 5_000) {
      rmSync(path, { force: true }); // created but never written: its creator died in between
      continue;
    }
    const who = holder ? `\`zero ${holder.command}\` (pid ${holder.pid})` : "another zero command";
    if (Date.now() >= deadline) {
      throw new ZeroError("ZERO_STACK_BUSY", `${who} is still changing this stack (${home}); gave up waiting.`);
    }
    if (!told) {
      options.onWait?.(`${who} is already starting or stopping this stack; waiting for it to finish.`);
      told = true;
    }
    await sleep(100);
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

export function lockPath(home: string): string {
  return join(home, "lifecycle.lock");
}

/**
 * Creates the lock with its holder already written: the holder's file is linked into place (atomic, EEXIST when
 * held), so a waiter never reads an empty lock and can always name who holds it. A file system without hard links
 * creates it with O_EXCL and writes it after, as before (a waiter may then briefly see "another zero command").
 */
function tryAcquire(path: string, command: string): boolean {
  const holder: Holder = { pid: process.pid, startTime: processStartTime(process.pid) ?? "", command };
  const written = `${path}.${process.pid}.new`;
  writeFileSync(written, JSON.stringify(holder), { mode: 0o600 });
  try {
    linkSync(written, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
    return createAndWrite(path, holder);
  } finally {
    rmSync(written, { force: true });
  }
}

function createAndWrite(path: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** The holder, or undefined while it is still being written (created but empty) or unreadable. */
function readHolder(path: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as Holder;
    return typeof holder.pid === "number" ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a dead holder's lock. It is renamed away first (atomic: of two waiters that both saw it dead, one
 * rename succeeds) and checked: had a live waiter replaced it in between, that lock is put back.
 */
function takeOverStale(path: string, stale: Holder): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another waiter moved it first
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.startTime !== stale.startTime)) {
    try {
      renameSync(aside, path); // not the dead one: give it back
      return;
    } catch {
      // fall through: nothing to restore into
    }
  }
  rmSync(aside, { force: true });
}
