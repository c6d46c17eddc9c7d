// Runs the vendor bundle (scripts/vendor.mjs): one CommonJS script holding the pre-bundled npm packages, compiled
// with V8's code cache kept beside it. Node 20 has no compile cache of its own, and parsing and compiling the
// bundle's ~3.5 MB was most of a server start's CPU before its first line of the API (docs/performance.md).
// The packages' ES module entries (<package>.mjs in the folder) take their exports from here.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { privateCacheFolder, runCommonJs } from "@zero/code-cache";

export const VENDOR_SCRIPT = "vendor.cjs";
// V8 rejects a cache made under other V8 flags (NODE_OPTIONS=--max-semi-space-size=1 under zero, none in a test):
// one cache per set of options, so that alternating between them does not rewrite one file at every start.
const CODE_CACHE = `vendor-${createHash("sha256")
  .update(JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? ""]))
  .digest("hex")
  .slice(0, 12)}.code-cache`;
// The cache's own folder in the bundle's, private (0700) whatever the umask made the bundle's folder.
export const CODE_CACHE_FOLDER = "code-cache";

// One run per folder in a process, as Node runs a module once: every package entry shares its instance.
const ran = new Map();

/** The namespace of package `name`, as `import * as` gives it natively; `entryUrl` is its entry's import.meta.url. */
export function vendorPackage(entryUrl, name) {
  const dir = dirname(fileURLToPath(entryUrl));
  let bundle = ran.get(dir);
  if (!bundle) {
    const cacheDir = join(dir, CODE_CACHE_FOLDER);
    privateCacheFolder(cacheDir, 8);
    // ASCII by construction (scripts/vendor.mjs escapes the rest): read as Latin-1, the same text without UTF-8
    // decoding, ~10 ms less CPU for the 3.5 MB at every server start on the project's machine.
    const script = join(dir, VENDOR_SCRIPT);
    bundle = runCommonJs(script, join(cacheDir, CODE_CACHE), readFileSync(script, "latin1"));
    ran.set(dir, bundle);
  }
  return bundle.exports.packages[name];
}

/**
 * Writes the code cache of each bundle this process ran without a usable one (a cache V8 rejects, another Node or
 * other flags, is only slower). Called once the server listens: V8 then includes every function the start compiled,
 * not only the top level.
 */
export function keepVendorCodeCache() {
  for (const bundle of ran.values()) bundle.keep();
}
