// The server's compile cache (Node >= 22.1; Node 20 ignores the variable): Node keeps the code it compiles on disk
// and the next start with the same files (the vendor bundle, ~15 % of the server's start CPU) skips compiling it.
import module from "node:module";
import { join, resolve } from "node:path";
import { privateCacheFolder } from "@zero/code-cache";

// The runner's own folder, private (0700: Node loads compiled code from it). Run from apps/api.
export const COMPILE_CACHE = join(".dev", "compile-cache");
// Each runner's server bundle has its own path, so its entry stays behind: past this many, start afresh.
const MAX_ENTRIES = 100;

/** The server's environment for the cache: NODE_COMPILE_CACHE, or nothing (Node 20; the folder cannot be used). */
export function compileCacheEnv() {
  if (!module.enableCompileCache) return {}; // the server runs on this same Node
  return privateCacheFolder(COMPILE_CACHE, MAX_ENTRIES) ? { NODE_COMPILE_CACHE: resolve(COMPILE_CACHE) } : {};
}
