// Development runner with hot reload: esbuild rebuilds src/ on every change (tens of ms) and the server
// restarts on the fresh bundle. npm dependencies stay external and load natively instead of through a
// TypeScript loader hook per module, so the API is ready ~0.5 s sooner than under tsx (docs/performance.md).
// Usage (from apps/api): node scripts/dev.mjs [node options, e.g. --inspect=127.0.0.1:9229]
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { setPriority } from "node:os";
import { basename, join } from "node:path";
import { context } from "esbuild";
import { COMPILE_CACHE, compileCacheEnv } from "./compile-cache.mjs";
import { serverBundleOptions } from "./server-bundle.mjs";
import { watchSources } from "./source-watch.mjs";
import { splitInspect, startSpare } from "./spare-server.mjs";
import { readVendor, vendorDir, vendorImports } from "./vendor.mjs";

// One build folder per runner, inside apps/api so that bare imports resolve from its node_modules.
// Runners killed with SIGKILL cannot clean up: their folders go when the next runner starts.
const BUILD_ROOT = ".dev";
mkdirSync(BUILD_ROOT, { recursive: true });
const KEPT = new Set(["vendor", basename(COMPILE_CACHE)]);
for (const name of readdirSync(BUILD_ROOT)) {
  if (!KEPT.has(name) && !isAlive(Number(name))) rmSync(join(BUILD_ROOT, name), { recursive: true, force: true });
}
const outdir = join(BUILD_ROOT, String(process.pid));
// traces=1 (TRACES=1 from stack.yaml's traces profile): OpenTelemetry is preloaded, from its own install
// (tracing/, installed by the first `make dev traces=1`). Otherwise nothing of it is loaded or even installed.
const tracing = process.env.TRACES === "1" ? ["--import", tracingRegisterUrl()] : [];

function tracingRegisterUrl() {
  const register = new URL("../tracing/register.mjs", import.meta.url);
  if (!existsSync(new URL("../tracing/node_modules/@opentelemetry/api/package.json", import.meta.url))) {
    console.error(
      "[dev] ZERO_PREREQ_MISSING: traces=1 needs the tracing packages (apps/api/tracing), which are not installed. " +
        "Next: `make dev traces=1` installs them (or: npm ci --prefix apps/api/tracing). Docs: docs/troubleshooting.md#zero_prereq_missing",
    );
    process.exit(4);
  }
  return register.href;
}

// The npm packages pre-bundled (scripts/vendor.mjs): when not built yet for this lockfile, this runner's server
// loads them natively and the bundle is built in the background for the next start. Not with traces=1:
// OpenTelemetry patches fastify, pg and ioredis as they are loaded by name, which a bundle of them hides.
// API_VENDOR=0: always natively.
const vendorFolder = tracing.length === 0 && process.env.API_VENDOR !== "0" ? vendorDir() : undefined;
const vendor = vendorFolder && readVendor(vendorFolder);
const compileCache = compileCacheEnv();
let server;
let vendorBuild;
let restarts = 0;
let stopping = false;

function isAlive(pid) {
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch (error) {
    return error.code === "EPERM";
  }
}

// The server's Node options and environment, the same for a spare (scripts/spare-server.mjs) and a fresh process.
const nodeOptions = ["--enable-source-maps", ...tracing, ...process.argv.slice(2)];
// A restart after an edit skips the schema check while the migrations are unchanged (src/database/prepare.ts);
// the file goes with this runner's build folder, so every new runner checks.
const serverEnv = { ...process.env, API_SCHEMA_MARKER: join(outdir, "schema-checked"), ...compileCache };
// Spares only when a restart needs no more than the --inspect address handed over (not --inspect-brk, not traces=1).
const spareOptions = tracing.length === 0 ? splitInspect(nodeOptions) : undefined;
let spare;

/** Starts the server on the fresh bundle: in the spare when there is one (after a first restart), else anew. */
function startServer() {
  const entry = join(outdir, "server.mjs");
  let child = spare?.take(entry, spareOptions[1]);
  if (!child && spareOptions && restarts > 0) child = startSpare(spareArgs()).take(entry, spareOptions[1]);
  spare = undefined;
  server = child ?? spawn(process.execPath, [...nodeOptions, entry], { stdio: "inherit", env: serverEnv });
  const current = server;
  // Once this server listens, the next restart's spare loads while the developer edits.
  current.on("message", (message) => {
    if (message?.type === "started" && current === server && !stopping) spare = startSpare(spareArgs());
  });
  current.once("exit", (code, signal) => {
    if (current.killedByUs) return;
    // The launcher contract: the server's death is the service's death. Waiting for a change (as `node --watch`
    // does) left a supervised API "running" with nothing listening; exiting lets the supervisor record why and
    // restart it with backoff (docs/reliability.md).
    console.error(`[dev] server exited (${signal ?? `code ${code}`}); exiting so that the supervisor restarts it`);
    void shutdown(code || 1);
  });
}

function spareArgs() {
  // The bundle this runner built imports the vendor files only when they existed at its start.
  return { nodeOptions: spareOptions[0], env: serverEnv, vendorFolder: vendor?.dir };
}

function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  server.killedByUs = true;
  return new Promise((resolve) => {
    server.once("exit", resolve);
    server.kill("SIGTERM");
  });
}

const restartAfterBuild = {
  name: "restart-after-build",
  setup(build) {
    let running; // the bundle the server runs: a build that changes nothing (a save without edits) restarts nothing
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return; // esbuild printed the errors; the old server keeps running
      sources.follow(result.metafile);
      const bundle = createHash("sha256")
        .update(readFileSync(join(outdir, "server.mjs")))
        .digest("hex");
      if (bundle === running) return;
      if (running) {
        console.log("[dev] source changed: restarting the server");
        restarts++;
      }
      running = bundle;
      await stopServer();
      startServer();
      if (vendorFolder && !vendor && !vendorBuild) vendorBuild = buildVendorLater();
    });
  },
};

// Once, after the first start has had the CPU (two cores shared with Vite at `make dev`), at low priority.
function buildVendorLater() {
  let child;
  const timer = setTimeout(() => {
    child = spawn(process.execPath, ["scripts/vendor.mjs"], { stdio: ["ignore", "ignore", "inherit"] });
    if (child.pid) setPriority(child.pid, 10);
  }, 5_000);
  timer.unref();
  return { stop: () => (child ? child.kill() : clearTimeout(timer)) };
}

const sources = watchSources(() => builder.rebuild());
const builder = await context({
  ...serverBundleOptions(outdir, [...(vendor ? [vendorImports(vendor, outdir)] : []), restartAfterBuild]),
  sourcemap: "inline", // the debugger and stack traces show the TypeScript sources
  metafile: true, // which folders to watch
});
await builder.watch();

async function shutdown(exitCode) {
  stopping = true;
  spare?.stop();
  vendorBuild?.stop();
  sources.close();
  await builder.dispose();
  await stopServer();
  rmSync(outdir, { recursive: true, force: true });
  process.exit(exitCode);
}

for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => void shutdown(0));
