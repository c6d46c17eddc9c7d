import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
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
 * functions that parse are in it too. Its name carries a hash of the bundle, Node's version and V8's flags; V8 rejects
 * code of another build itself. Only a folder this user owns and nobody else can write is used: loaded code runs
 * as this user. Any failure of the cache only costs the speed-up.
 */
export function requireWithCodeCache(file: string, options: CodeCacheOptions = {}): Record<string, unknown> {
  const { dir = codeCacheDir(), keepAt = (keep) => process.once("exit", keep) } = options;
  if ((module as { enableCompileCache?: unknown }).enableCompileCache) return createRequire(file)(file);
  const source = readFileSync(file, "utf8");
  const key = createHash("sha256").update(
    `${process.version}\0${process.arch}\0${process.execArgv.join(" ")}\0${source}`,
  );
  const name = `${basename(file)}.${key.digest("hex").slice(0, 16)}`;
  const cached = readPrivate(dir, name);
  // Node's own CommonJS wrapper, so the bundle runs as `require` would run it.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: cached,
  });
  const loaded = { exports: {} };
  script.runInThisContext()(loaded.exports, createRequire(file), loaded, file, dirname(file));
  if (script.cachedDataRejected !== false) keepAt(() => writePrivate(dir, name, script)); // none, or not accepted
  return loaded.exports;
}

/** The cached code, if it is there and only this user could have written it. */
function readPrivate(dir: string, name: string): Buffer | undefined {
  try {
    if (!ownedAndPrivate(dir, true) || !ownedAndPrivate(join(dir, name), false)) return undefined;
    return readFileSync(join(dir, name));
  } catch {
    return undefined;
  }
}

function ownedAndPrivate(path: string, folder: boolean): boolean {
  const stat = lstatSync(path);
  const kind = folder ? stat.isDirectory() : stat.isFile();
  return kind && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
}

/**
 * Written whole (a temporary file renamed). Each build keeps its own entry (two checkouts at different commits would
 * otherwise replace each other's at every command); past MAX_ENTRIES the folder starts afresh.
 */
function writePrivate(dir: string, name: string, script: Script): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(dir, true)) return;
    if (readdirSync(dir).length >= MAX_ENTRIES) {
      for (const old of readdirSync(dir)) rmSync(join(dir, old), { force: true });
    }
    const temporary = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, join(dir, name));
  } catch {
    // An unwritable cache folder only costs the speed-up.
  }
}
