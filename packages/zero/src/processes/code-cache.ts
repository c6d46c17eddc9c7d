import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { basename, join } from "node:path";
import { privateCacheFolder, runCommonJs } from "@zero/code-cache";
import { zeroCacheDir } from "../files/cache-dir.js";

/**
 * Where V8's code for a CommonJS bundle is kept between runs on Node < 22.1 (Node's own compile cache is used
 * above that): $XDG_CACHE_HOME/zero-to-running/code-cache, private (0700) as the compile cache.
 */
export function codeCacheDir(env: Record<string, string | undefined> = process.env): string {
  return join(zeroCacheDir(env), "code-cache");
}

// Each rebuild of a bundle adds an entry (~70-170 KB): past this many, the folder is emptied and refills.
export const MAX_ENTRIES = 40;

export interface CodeCacheOptions {
  dir?: string;
  /** When the compiled code is written (default: at exit, once the bundle's code that runs has been compiled). */
  keepAt?: (keep: () => void) => void;
}

/**
 * Runs a CommonJS bundle and returns its exports, with the code V8 compiled for it on an earlier run: Node 20 has no
 * compile cache, and compiling dist/record-contract.cjs (zod and the control API's schemas) is most of what
 * `zero status` does after its request has left. The code is written at exit, after the answer was parsed, so the
 * functions that parse are in it too. Its name carries a hash of the bundle, Node's version and V8's flags, so each
 * build (two checkouts at different commits) keeps its own entry. Any failure of the cache only costs the speed-up.
 */
export function requireWithCodeCache(file: string, options: CodeCacheOptions = {}): Record<string, unknown> {
  const { dir = codeCacheDir(), keepAt = (keep) => process.once("exit", keep) } = options;
  if ((module as { enableCompileCache?: unknown }).enableCompileCache) return createRequire(file)(file);
  const source = readFileSync(file, "utf8"); // read once: it names the cache and is what runs
  const key = createHash("sha256").update(
    `${process.version}\0${process.arch}\0${process.execArgv.join(" ")}\0${source}`,
  );
  const cacheFile = join(dir, `${basename(file)}.${key.digest("hex").slice(0, 16)}`);
  const loaded = runCommonJs(file, cacheFile, source);
  if (!loaded.fromCache) keepAt(() => privateCacheFolder(dir, MAX_ENTRIES - 1) && loaded.keep());
  return loaded.exports;
}
