#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/ for a fast start. make rebuilds it when its sources change; started
// another way (npx zero, npm run build skipped after a git pull), it is (re)built here when missing or older than
// its sources. CommonJS (bin/package.json): `zero status` and `zero down` run from CommonJS files only, without
// Node's ES module loader (~10 ms of CPU); the other commands import the CLI's ES modules.
const { existsSync, readFileSync, statSync } = require("node:fs");
const { join } = require("node:path");

// Output piped into a reader that stopped early (`zero help | head`): the rest is not wanted, which is no error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const packageDir = join(__dirname, "..");
const dist = join(packageDir, "dist");

/**
 * A source the bundles were built from is newer than the build, or gone: dist/sources.mk (make rules written last by
 * the build, one `<source>:` line each, from the repository's root) lists them, one stat each (~260 files: ~1 ms;
 * walking src/ for every file cost ~15 ms of CPU).
 */
function stale() {
  const list = join(dist, "sources.mk");
  const built = statSync(list, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return true;
  const repository = join(packageDir, "..", "..");
  const sources = readFileSync(list, "utf8")
    .split("\n")
    .filter((line) => line.endsWith(":"))
    .map((line) => join(repository, line.slice(0, -1)));
  return sources.some((source) => !(statSync(source, { throwIfNoEntry: false })?.mtimeMs <= built));
}

// Under make (MAKELEVEL is set) the Makefile has already rebuilt what changed: only a missing bundle counts.
const missing = ["compile-cache.cjs", "code-cache.cjs", "cli.js", "record.cjs", "early.js"].some(
  (bundle) => !existsSync(join(dist, bundle)),
);
if (missing || (!process.env.MAKELEVEL && stale())) {
  process.stderr.write("Building zero (its sources changed since the last build)...\n");
  const { execFileSync } = require("node:child_process"); // only here: loading it costs every command
  execFileSync(process.execPath, ["build.mjs"], { cwd: packageDir, stdio: ["ignore", "inherit", "inherit"] });
}
// Node >= 22.1 keeps the bundle's compiled code in zero's private cache folder (a faster start); a no-op on Node 20.
require("../dist/compile-cache.cjs").enableCompileCache();

async function run(args) {
  // status and down of a running stack: a bundle of their own (src/cli/record-main.ts; its schemas in a file apart,
  // loaded once the request has left), run with the code V8 compiled for it on an earlier run (Node 20 has no compile
  // cache: src/processes/code-cache.ts); undefined when the full CLI must answer.
  const recorded =
    args[0] === "status" || args[0] === "down"
      ? await require("../dist/code-cache.cjs").requireWithCodeCache(join(dist, "record.cjs")).runRecorded(args)
      : undefined;
  if (recorded !== undefined) return recorded;
  // up/dev: the supervisor's process starts before the CLI loads (src/cli/early-main.ts), its Node start overlapping.
  const started =
    args[0] === "up" || args[0] === "dev" ? await (await import("../dist/early.js")).startBeforeCli(args) : undefined;
  return (await import("../dist/cli.js")).main(args, started);
}

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
