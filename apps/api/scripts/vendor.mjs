// The dev runner's vendor bundle: the API's heaviest npm packages pre-bundled into one script, built once per
// package-lock.json, so each server start (and each hot-reload restart) parses one file instead of ~hundreds
// of modules, and compiles it from V8's code cache (scripts/vendor-load.mjs): about a third of the CPU of loading
// them natively (docs/performance.md). The production build never uses it.
// Built in the background the first time (that start loads the packages natively); `node scripts/vendor.mjs`
// builds it now. Run from apps/api.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { VENDOR_SCRIPT } from "./vendor-load.mjs";

// Packages the server imports at start-up that bundle cleanly: no files read beside their own code. Left out:
// @fastify/swagger-ui (serves its static files from its folder), node-pg-migrate (loaded only to migrate).
// (@fastify/swagger reads its package.json for defaults the API sets itself; bundled, it finds none.)
const VENDORED = [
  "fastify",
  "fastify-type-provider-zod",
  "@fastify/cors",
  "@fastify/swagger", // with the yaml package it loads: ~40 files
  "zod",
  "pino",
  "pg",
  "ioredis",
  "prom-client",
  "close-with-grace",
];
const VENDOR_ROOT = join(".dev", "vendor");
const LOCKFILE = join("..", "..", "package-lock.json");

/** The vendor folder for the installed packages: keyed by the lockfile, this file and its loader; none without a lockfile. */
export function vendorDir() {
  if (!existsSync(LOCKFILE)) return undefined;
  const key = createHash("sha256")
    .update(readFileSync(LOCKFILE))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(fileURLToPath(new URL("./vendor-load.mjs", import.meta.url))))
    .update(process.version)
    .digest("hex")
    .slice(0, 16);
  return join(VENDOR_ROOT, key);
}

/** The built bundle's map from package name to file, or undefined when it is not built (yet). */
export function readVendor(dir) {
  try {
    return { dir, files: JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) };
  } catch {
    return undefined;
  }
}

/** esbuild plugin for the server bundle: a vendored package's import points at its bundled file. */
export function vendorImports(vendor, outdir) {
  return {
    name: "vendor-imports",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const file = vendor.files[args.path];
        return file ? { path: `./${relative(outdir, join(vendor.dir, file))}`, external: true } : undefined;
      });
    },
  };
}

/** Builds the bundle into `dir` (atomically: a temporary folder renamed at the end) and drops older ones. */
export async function buildVendor(dir) {
  const { build } = await import("esbuild");
  const temporary = `${dir}.tmp-${process.pid}`;
  mkdirSync(join(temporary, "entries"), { recursive: true });
  try {
    // One script with every package (scripts/vendor-load.mjs runs it with V8's code cache), each as `import * as`
    // gives it natively: the entry is an ES module, so esbuild applies Node's rules to the CommonJS packages.
    const entry = join(temporary, "entries", "vendor.mjs");
    writeFileSync(
      entry,
      VENDORED.map((name, i) => `import * as p${i} from ${JSON.stringify(name)};\n`).join("") +
        `export const packages = { ${VENDORED.map((name, i) => `${JSON.stringify(name)}: p${i}`).join(", ")} };\n`,
    );
    await build({
      entryPoints: [entry],
      outfile: join(temporary, VENDOR_SCRIPT),
      bundle: true, // one copy of a package shared by several (zod, pino): one instance, as natively
      platform: "node",
      format: "cjs",
      target: "node20",
      logLevel: "warning",
      external: ["pg-native"],
      // Node 21's navigator on Node 20: without it pg detects Cloudflare by building a fetch Response, which loads
      // undici (~100 ms of CPU and ~15 MB at every start, for a fetch the API never makes).
      banner: { js: 'const navigator = globalThis.navigator ?? { userAgent: "Node.js" };' },
    });
    asciiOnly(join(temporary, VENDOR_SCRIPT));
    // Each package's ES module entry exports exactly the names Node itself sees when importing it natively.
    const names = exportNames();
    const loader = relative(temporary, fileURLToPath(new URL("./vendor-load.mjs", import.meta.url)));
    const files = {};
    for (const name of VENDORED) {
      const file = `${name.replace(/[@/]/g, "_")}.mjs`;
      const exported = names[name].filter((n) => n === "default" || /^[A-Za-z_$][\w$]*$/.test(n));
      writeFileSync(
        join(temporary, file),
        `import { vendorPackage } from ${JSON.stringify(`./${loader}`)};\n` +
          `const ns = vendorPackage(import.meta.url, ${JSON.stringify(name)});\n` +
          exported.map((n, i) => `const v${i} = ns[${JSON.stringify(n)}];\n`).join("") +
          `export { ${exported.map((n, i) => `v${i} as ${n}`).join(", ")} };\n`,
      );
      files[name] = file;
    }
    rmSync(join(temporary, "entries"), { recursive: true, force: true });
    writeFileSync(join(temporary, "manifest.json"), JSON.stringify(files));
    renameSync(temporary, dir);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (existsSync(join(dir, "manifest.json"))) return; // another runner built it at the same moment
    throw error;
  }
  // Bundles of older lockfiles, and builds left half-done by a runner that was killed.
  for (const name of readdirSync(VENDOR_ROOT)) {
    const builder = Number(name.split(".tmp-")[1]);
    if (join(VENDOR_ROOT, name) !== dir && !isAlive(builder))
      rmSync(join(VENDOR_ROOT, name), { recursive: true, force: true });
  }
}

/**
 * Escapes the few non-ASCII characters esbuild leaves (in comments: it escapes them in code already). One such
 * character makes V8 hold the whole script as two-byte text: ~3.5 MB more for the life of each server.
 */
function asciiOnly(file) {
  const text = readFileSync(file, "utf8");
  const unicodeEscape = (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  writeFileSync(file, text.replace(/[^\0-\x7f]/g, unicodeEscape));
}

function isAlive(pid) {
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch (error) {
    return error.code === "EPERM";
  }
}

function exportNames() {
  const script = `const names = {}; for (const name of ${JSON.stringify(VENDORED)}) names[name] = Object.keys(await import(name)); console.log(JSON.stringify(names));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`could not read the vendored packages' exports:\n${child.stderr}`);
  return JSON.parse(child.stdout);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = vendorDir();
  if (!dir) throw new Error(`no ${LOCKFILE}: nothing to key the vendor bundle by`);
  if (!readVendor(dir)) await buildVendor(dir);
  console.log(`vendor bundle: ${dir}`);
}
