import type { ChildProcess } from "node:child_process";
import type { Writable } from "node:stream";

/**
 * The `start_early` protocol (docs/stack.md#start-early): a service launched before its dependencies are met finds a
 * pipe on the file descriptor named by ZERO_DEPENDENCIES_FD. One line, `ready`, arrives on it once its depends_on
 * conditions hold; end of file without it means the start was abandoned (the supervisor is gone): it should exit.
 */
export const DEPENDENCIES_FD = 3;

/** The variable that names the pipe, in the gated process's environment only (a relaunch after the release has none). */
export const dependenciesFdEnv = { ZERO_DEPENDENCIES_FD: String(DEPENDENCIES_FD) };

/** The pipe's end on our side: errors ignored, since the process may exit before it reads (its exit is what counts). */
export function gatePipe(child: ChildProcess): Writable | undefined {
  const pipe = child.stdio[DEPENDENCIES_FD] as Writable | null | undefined;
  pipe?.on("error", () => {});
  return pipe ?? undefined;
}

/** Tells the process its dependencies are met: the one line, then end of file. */
export function openGate(child: ChildProcess): void {
  gatePipe(child)?.end("ready\n");
}
