import { homedir } from "node:os";
import { join } from "node:path";

/** zero's per-user cache: $XDG_CACHE_HOME/zero-to-running, else ~/.cache/zero-to-running (each use keeps it 0700). */
export function zeroCacheDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "zero-to-running");
}
