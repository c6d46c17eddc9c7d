// Runs the vendor bundle (scripts/vendor.mjs): one CommonJS script holding the pre-bundled npm packages, compiled
// with V8's code cache kept beside it. Node 20 has no compile cache of its own, and parsing and compiling the
// bundle's ~3.5 MB was most of a server start's CPU before its first line of the API (docs/performance.md).
// The packages' ES module entries (<package>.mjs in the folder) take their exports from here.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const VENDOR_SCRIPT = "vendor.cjs";
// V8 rejects a cache made under other V8 flags (NODE_OPTIONS=--max-semi-space-size=1 under zero, none in a test):
// one cache per set of options, so that alternating between them does not rewrite one file at every start.
const CODE_CACHE = `vendor-${createHash("sha256")
  .update(JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? ""]))
  .digest("hex")
  .slice(0, 12)}.code-cache`;

// One run per folder in a process, as Node runs a module once: every package entry shares its instance.
const ran = new Map();

/** The namespace of package `name`, as `import * as` gives it natively; `entryUrl` is its entry's import.meta.url. */
export function vendorPackage(entryUrl, name) {
  const dir = dirname(fileURLToPath(entryUrl));
  let bundle = ran.get(dir);
  if (!bundle) {
    bundle = runBundle(dir);
    ran.set(dir, bundle);
  }
  return bundle.packages[name];
}

function runBundle(dir) {
  const file = join(dir, VENDOR_SCRIPT);
  const cacheFile = join(dir, CODE_CACHE);
  const cachedData = readOwnCache(cacheFile);
  // Node's own CommonJS wrapper, so the bundle sees require, module, __filename and __dirname as in a .cjs file.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dir);
  // A cache V8 rejects (another Node version or other V8 flags) is only slower: this process writes a new one.
  // Only then is the script kept (its compiled top level is otherwise garbage once run).
  const stale = !cachedData || script.cachedDataRejected;
  return { packages: module.exports.packages, script: stale ? script : undefined, cacheFile };
}

/** The kept code, when this user owns it and nobody else can write it (a code cache is code: docs/security.md). */
function readOwnCache(file) {
  try {
    const { uid, mode } = statSync(file);
    if (uid !== process.getuid?.() || (mode & 0o022) !== 0) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes the code cache of each bundle this process ran without a usable one. Called once the server listens: V8
 * then includes every function the start compiled, not only the top level. Atomic (renamed into place).
 */
export function keepVendorCodeCache() {
  for (const bundle of ran.values()) {
    const { script } = bundle;
    if (!script) continue;
    bundle.script = undefined;
    const temporary = `${bundle.cacheFile}.tmp-${process.pid}`;
    try {
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, bundle.cacheFile);
    } catch {
      rmSync(temporary, { force: true }); // only the next start's speed-up is lost
    }
  }
}
