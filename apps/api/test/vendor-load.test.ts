import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const LOADER = pathToFileURL(new URL("../scripts/vendor-load.mjs", import.meta.url).pathname).href;

/** A vendor folder with a tiny bundle: one package whose function is compiled only when called. */
function vendorFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "vendor-load-"));
  writeFileSync(
    join(dir, "vendor.cjs"),
    'const path = require("node:path");\n' +
      "function greet(name) { return `hello ${name} from ${path.basename(__filename)}`; }\n" +
      "exports.packages = { greeter: { default: greet, greet, runs: (globalThis.vendorRuns = (globalThis.vendorRuns ?? 0) + 1) } };\n",
  );
  return dir;
}

/** Loads the package in a fresh Node process as a package entry does, then keeps the code cache as the host does. */
function loadInProcess(dir: string, env: NodeJS.ProcessEnv = process.env) {
  const script = `
    import { vendorPackage, keepVendorCodeCache } from ${JSON.stringify(LOADER)};
    const entry = ${JSON.stringify(pathToFileURL(join(dir, "greeter.mjs")).href)};
    const first = vendorPackage(entry, "greeter");
    const again = vendorPackage(entry, "greeter");
    console.log(JSON.stringify({ said: first.greet("api"), same: first === again, runs: globalThis.vendorRuns }));
    keepVendorCodeCache();`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env });
  expect(child.stderr).toBe("");
  return JSON.parse(child.stdout) as { said: string; same: boolean; runs: number };
}

/** The one code cache file in the folder. */
function codeCache(dir: string): string {
  const caches = readdirSync(join(dir, "code-cache")).filter((name) => name.endsWith(".code-cache"));
  expect(caches).toHaveLength(1);
  return join(dir, "code-cache", caches[0]!);
}

describe("the vendor bundle's loader (scripts/vendor-load.mjs)", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the bundle once per process as CommonJS, and keeps V8's code cache for the next start", () => {
    dir = vendorFolder();
    expect(loadInProcess(dir)).toEqual({ said: "hello api from vendor.cjs", same: true, runs: 1 });
    const cache = codeCache(dir);
    const written = statSync(cache);
    expect(written.size).toBeGreaterThan(0);

    // The next process compiles from the cache, so it has nothing to rewrite.
    expect(loadInProcess(dir).said).toBe("hello api from vendor.cjs");
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
    expect(statSync(cache).ino).toBe(written.ino);

    // Other V8 flags (zero's NODE_OPTIONS) get their own cache: V8 would reject the first one's.
    loadInProcess(dir, { ...process.env, NODE_OPTIONS: "--max-semi-space-size=1" });
    expect(readdirSync(join(dir, "code-cache")).filter((name) => name.endsWith(".code-cache"))).toHaveLength(2);
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
  });

  it("does not load kept code that other users can write, and replaces it", () => {
    dir = vendorFolder();
    loadInProcess(dir);
    const cache = codeCache(dir);
    chmodSync(cache, 0o666);
    loadInProcess(dir);
    expect(statSync(cache).mode & 0o777).toBe(0o600); // written anew by this process, not read
  });

  it("replaces a cache V8 rejects, and runs the bundle all the same", () => {
    dir = vendorFolder();
    loadInProcess(dir);
    const cache = codeCache(dir);
    writeFileSync(cache, "not a code cache");
    expect(loadInProcess(dir).said).toBe("hello api from vendor.cjs");
    expect(readFileSync(cache, "utf8")).not.toBe("not a code cache");
  });
});
