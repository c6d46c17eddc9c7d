import { createWriteStream, mkdirSync, openSync, renameSync, statSync, type WriteStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname } from "node:path";

/** Size at which a log file is rotated to <name>.1 (one generation kept): logs never grow without bound. */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** One service's log: timestamped lines, secrets masked before they reach the disk. */
export class LogFile {
  private stream: WriteStream;
  private size: number;

  constructor(
    readonly path: string,
    private readonly mask: (text: string) => string,
    private readonly maxBytes = MAX_LOG_BYTES,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.size = sizeOf(path);
    this.stream = this.open();
  }

  write(ts: string, line: string): void {
    const entry = `${ts} ${this.mask(line)}\n`;
    const bytes = Buffer.byteLength(entry);
    if (this.size + bytes > this.maxBytes) this.rotate();
    this.stream.write(entry);
    this.size += bytes;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }

  // The file is opened synchronously, so it exists before the first write lands and a rotation can always rename
  // it; writes still queued on the old stream then go to <name>.1, where they belong.
  private open(): WriteStream {
    return createWriteStream(this.path, { fd: openSync(this.path, "a", 0o600) });
  }

  private rotate(): void {
    this.stream.end();
    renameSync(this.path, `${this.path}.1`);
    this.stream = this.open();
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
