#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/ for a fast start. make rebuilds it when its sources change; started
// another way (npx zero, npm run build skipped after a git pull), it is (re)built here when missing or older than
// its sources.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(packageDir, "dist", "cli.js");
const sources = [
  join(packageDir, "src"),
  join(packageDir, "..", "database", "src"),
  join(packageDir, "..", "contracts", "src"),
];

/** Newest modification time below a folder (~90 files: a few milliseconds). */
function newest(folder) {
  let time = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

// Under make (MAKELEVEL is set) the Makefile has already rebuilt what changed: skip the walk.
const stale = () =>
  !process.env.MAKELEVEL && Math.max(...sources.filter(existsSync).map(newest)) > statSync(bundle).mtimeMs;
if (!existsSync(bundle) || !existsSync(join(packageDir, "dist", "record.js")) || stale()) {
  process.stderr.write("Building zero (its sources changed since the last build)...\n");
  execFileSync(process.execPath, ["build.mjs"], { cwd: packageDir, stdio: ["ignore", "inherit", "inherit"] });
}
// Node >= 22.1 keeps the bundle's compiled code in zero's private cache folder (a faster start); a no-op on Node 20.
const { enableCompileCache } = await import("../dist/compile-cache.js");
enableCompileCache();
const args = process.argv.slice(2);
// status and down of a running stack: a bundle of their own, one file (src/cli/record-main.ts); undefined when the
// full CLI must answer.
const recorded =
  args[0] === "status" || args[0] === "down" ? await (await import("../dist/record.js")).runRecorded(args) : undefined;
if (recorded !== undefined) process.exitCode = recorded;
else process.exitCode = await (await import("../dist/cli.js")).main(args);
