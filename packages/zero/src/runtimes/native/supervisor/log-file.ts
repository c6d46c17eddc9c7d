import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { ZeroError } from "../../../errors/zero-error.js";
import { type FileHandle, open } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Size at which a log file is rotated to <name>.1 (one generation kept): logs never grow without bound. */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** After a failed write, how long to drop lines before trying the file again (no busy retry on a full disk). */
const RETRY_MS = 5_000;

/**
 * One service's log: timestamped lines, secrets masked before they reach the disk. Writing can fail (full disk,
 * read-only folder) without failing anything else: lines are dropped and counted, the file is tried again every
 * few seconds, and the count is written once it works. Writes are synchronous, so an error surfaces here, never
 * as an asynchronous stream error that would crash the supervisor, and closing cannot hang.
 */
export class LogFile {
  private fd: number | undefined;
  private size: number;
  private dropped = 0;
  private failedAt: number | undefined;
  private failure = "";

  constructor(
    readonly path: string,
    private readonly mask: (text: string) => string,
    private readonly maxBytes = MAX_LOG_BYTES,
    /** Told once per run of failures, e.g. "cannot write …: ENOSPC". */
    private readonly onProblem: (message: string) => void = () => {},
  ) {
    this.size = sizeOf(path);
    this.reopen();
  }

  write(ts: string, line: string): void {
    if (this.fd === undefined && !this.reopen()) {
      this.dropped++;
      return;
    }
    try {
      if (this.dropped > 0) {
        this.append(`${ts} [zero] ${this.dropped} log line(s) were dropped: ${this.failure}\n`);
        this.dropped = 0;
      }
      this.append(`${ts} ${this.mask(line)}\n`);
    } catch (error) {
      this.fail(error);
      this.dropped++;
    }
  }

  close(): Promise<void> {
    this.closeFd();
    return Promise.resolve();
  }

  private append(entry: string): void {
    const bytes = Buffer.byteLength(entry);
    if (this.size + bytes > this.maxBytes) this.rotate();
    writeSync(this.fd!, entry);
    this.size += bytes;
  }

  private reopen(): boolean {
    if (this.failedAt !== undefined && Date.now() - this.failedAt < RETRY_MS) return false;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, "a", 0o600);
      this.failedAt = undefined;
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private fail(error: unknown): void {
    const first = this.failedAt === undefined;
    this.closeFd();
    this.failedAt = Date.now();
    this.failure = (error as NodeJS.ErrnoException).code ?? String(error);
    if (first)
      this.onProblem(
        `cannot write ${this.path} (${this.failure}); dropping its lines, retrying every ${RETRY_MS / 1000} s`,
      );
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already unusable: nothing to flush
    }
    this.fd = undefined;
  }

  private rotate(): void {
    this.closeFd();
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, "a", 0o600);
    this.size = 0;
  }
}

/**
 * For a log written through a plain file descriptor (the supervisor's own, which keeps writing to whatever file
 * its descriptor points at): rotates it before it is opened again, once it reached maxBytes.
 */
export function rotateIfFull(path: string, maxBytes = MAX_LOG_BYTES): void {
  if (sizeOf(path) >= maxBytes) renameSync(path, `${path}.1`);
}

/**
 * Checks before start that the log folder takes writes (it writes, syncs and removes a few kilobytes): a read-only or
 * full folder is a clear error now, not a supervisor that cannot log once services run. Asynchronous: the sync to
 * disk (milliseconds, tens on a busy disk) runs while `zero up` loads the project, not before the supervisor starts.
 */
export async function checkLogsWritable(dir: string): Promise<void> {
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    const file = await open(probe, "w", 0o600);
    try {
      await file.write(Buffer.alloc(4096));
      await file.sync();
    } finally {
      await file.close();
      rmSync(probe, { force: true });
    }
  } catch (error) {
    throw logsUnwritable(dir, error);
  }
}

/** Why a folder refuses writes, by the error's code. */
const UNWRITABLE: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the folder is on a read-only file system",
  EACCES: "you may not write to it",
  EPERM: "you may not write to it",
};

/** Whether an error says the folder refuses writes (full, read-only, not ours). */
export function refusesWrites(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code !== undefined && Object.hasOwn(UNWRITABLE, code);
}

/** ZERO_LOGS_UNWRITABLE for the log folder, with the reason of the error that showed it. */
export function logsUnwritable(dir: string, error: unknown): ZeroError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  const reason = UNWRITABLE[code];
  return new ZeroError(
    "ZERO_LOGS_UNWRITABLE",
    `Cannot write to the log folder ${dir} (${code}${reason ? `: ${reason}` : ""}); nothing was started.`,
    {
      next: `Make ${dir} writable (free disk space, \`chmod u+w\`, or remount it read-write), then run \`make dev\` again.`,
      cause: error,
    },
  );
}

/** The last `count` lines of a file (reads only its end). */
export async function tailLines(path: string, count: number, maxBytes = 256 * 1024): Promise<string[]> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n").filter(Boolean);
    if (length < size) lines.shift(); // first line is probably cut
    return lines.slice(-count);
  } finally {
    await handle.close();
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
