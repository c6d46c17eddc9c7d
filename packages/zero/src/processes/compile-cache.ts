import { mkdirSync, readdirSync, rmSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";
import { zeroCacheDir } from "../files/cache-dir.js";

// Node 22.1+ only; Node 20 (and its types) have neither function.
const nodeModule = module as { enableCompileCache?: (dir: string) => unknown; flushCompileCache?: () => void };

// Each rebuild of zero names its chunks anew and leaves the old entries behind: past this many, start afresh.
const MAX_ENTRIES = 200;

/**
 * zero's compile cache: $XDG_CACHE_HOME/zero-to-running/compile-cache, else ~/.cache/zero-to-running/compile-cache.
 * Private (0700): Node loads compiled code from it, so nobody else may write there (the default, a shared folder
 * under /tmp, would let them).
 */
export function compileCacheDir(env: Record<string, string | undefined> = process.env): string {
  return join(zeroCacheDir(env), "compile-cache");
}

/**
 * Node keeps the code it compiles for the modules loaded after this call on disk, and the next process with the
 * same files skips compiling them. A no-op on Node 20 and with NODE_DISABLE_COMPILE_CACHE=1; never fails a command.
 */
export function enableCompileCache(dir = compileCacheDir()): void {
  if (!nodeModule.enableCompileCache) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (entryCount(dir) > MAX_ENTRIES) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    nodeModule.enableCompileCache(dir);
  } catch {
    // An unwritable cache folder only costs the speed-up.
  }
}

/** Writes what was compiled so far now, not only at exit: for long-lived processes (the supervisor). */
export function flushCompileCache(): void {
  nodeModule.flushCompileCache?.();
}

/** Entries of every Node version's subfolder. */
function entryCount(dir: string): number {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .reduce((sum, entry) => sum + readdirSync(join(dir, entry.name)).length, 0);
}
