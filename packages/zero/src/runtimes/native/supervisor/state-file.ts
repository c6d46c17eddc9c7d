import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isSameProcess } from "../../../processes/process-info.js";
import { statePath } from "./state-path.js";
import type { StackState } from "./state-reader.js";

export type { ServiceRecord, StackState } from "./state-reader.js";
export { statePath };

/** The state file and the temporary file it is written to, then renamed from (a reader never sees half a file). */
function stateFiles(home: string): { path: string; temporary: string } {
  const path = statePath(home);
  return { path, temporary: `${path}.${process.pid}.tmp` };
}

const stateText = (state: StackState) => JSON.stringify(state, null, 2);

/** Atomic write (temp file + rename). Owner-only: it holds the API token. */
export function writeState(home: string, state: StackState): void {
  const { path, temporary } = stateFiles(home);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(temporary, stateText(state), { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * The supervisor's writes of its state while it runs, off its event loop: a rename over the old file makes ext4 write
 * the new one's data first (auto_da_alloc), which blocked the supervisor 2-10 ms per write, ~50 ms over a warm start.
 * One write at a time, always of the newest state; `settled` resolves once the newest one asked for is on disk.
 */
export class StateWriter {
  private latest: (() => StackState) | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly home: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Writes the state `read` gives when the write begins (the newest by then), after any write in flight. */
  save(read: () => StackState): void {
    if (this.closed) return;
    this.latest = read;
    this.writing ??= this.drain();
  }

  /** Resolves once every state asked for has been written (or has failed to). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** No write after this one: the stack is going, and its state file with it. */
  async close(): Promise<void> {
    this.closed = true;
    this.latest = undefined;
    await this.settled();
  }

  private async drain(): Promise<void> {
    const { path, temporary } = stateFiles(this.home);
    for (let read = this.latest; read; read = this.latest) {
      this.latest = undefined;
      try {
        await writeFile(temporary, stateText(read()), { mode: 0o600 });
        await rename(temporary, path);
      } catch (error) {
        this.onError(error); // a full or read-only disk must not stop the services; the next change tries again
      }
    }
    this.writing = undefined;
  }
}

/**
 * The pid of another live supervisor recorded for this home, if any. Read without zod (the supervisor does not
 * load it); anything unreadable counts as none.
 */
export function otherLiveSupervisor(home: string): number | undefined {
  try {
    const { supervisor } = JSON.parse(readFileSync(statePath(home), "utf8")) as {
      supervisor?: { pid?: number; startTime?: string };
    };
    const pid = supervisor?.pid;
    return pid && pid !== process.pid && isSameProcess(pid, supervisor?.startTime) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removeState(home: string): void {
  rmSync(statePath(home), { force: true });
}
