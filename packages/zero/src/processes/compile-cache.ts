import { join } from "node:path";
import * as codeCache from "@zero/code-cache";
import { zeroCacheDir } from "../files/cache-dir.js";

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
  codeCache.enableCompileCache(dir, MAX_ENTRIES);
}

/** Writes what was compiled so far now, not only at exit: for long-lived processes (the supervisor). */
export const flushCompileCache = codeCache.flushCompileCache;
