// Compiled code kept between runs: the CLI's `zero status` and the API's dev server start mostly compile code, and
// Node 20 has no compile cache of its own. Cached code is code: it is read only from files and folders this user owns
// and nobody else can write (docs/security.md).
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** @type {(dir: string, maxEntries: number) => boolean} */
export function privateCacheFolder(dir, maxEntries) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (entryCount(dir) > maxEntries) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    return ownedAndPrivate(dir, true);
  } catch {
    return false; // only the speed-up is lost
  }
}

/** @type {(dir: string, maxEntries: number) => boolean} */
export function enableCompileCache(dir, maxEntries) {
  if (!module.enableCompileCache || !privateCacheFolder(dir, maxEntries)) return false;
  try {
    module.enableCompileCache(dir);
    return true;
  } catch {
    return false;
  }
}

export function flushCompileCache() {
  module.flushCompileCache?.();
}

/** @type {(file: string, cacheFile: string, source?: string) => import("./index.js").CachedModule} */
export function runCommonJs(file, cacheFile, source = readFileSync(file, "utf8")) {
  const cachedData = readPrivate(cacheFile);
  // Node's own CommonJS wrapper, so the file sees require, module, __filename and __dirname as under `require`.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  let script = new Script(wrapped, { filename: file, cachedData });
  const loaded = { exports: {} };
  script.runInThisContext().call(loaded.exports, loaded.exports, createRequire(file), loaded, file, dirname(file));
  // An accepted cache needs no new one; the script is then dropped (its compiled top level is garbage once run).
  const fromCache = Boolean(cachedData) && script.cachedDataRejected === false;
  if (fromCache) script = undefined;
  return {
    exports: loaded.exports,
    fromCache,
    keep() {
      if (!script) return;
      const data = script.createCachedData(); // now: it holds every function compiled so far, not only the top level
      script = undefined;
      writePrivate(cacheFile, data);
    },
  };
}

/** The file's contents when it and its folder are this user's and nobody else can write them. */
function readPrivate(file) {
  try {
    if (!ownedAndPrivate(dirname(file), true) || !ownedAndPrivate(file, false)) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole, 0600 (a temporary file renamed into place); a failure only costs the next run's speed-up. */
function writePrivate(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    if (!ownedAndPrivate(dirname(file), true)) return;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

function ownedAndPrivate(path, folder) {
  const stat = lstatSync(path);
  const kind = folder ? stat.isDirectory() : stat.isFile();
  return kind && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
}

/** Entries of the folder, a subfolder (Node's compile cache has one per Node version) counting its own. */
function entryCount(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? readdirSync(`${dir}/${entry.name}`).length : 1),
    0,
  );
}
