// Development runner with hot reload: esbuild rebuilds src/ on every change (tens of ms) and the server
// restarts on the fresh bundle, in a spare process prepared after the previous restart (scripts/spare-server.mjs).
// A start whose sources are unchanged since the last build runs that build at once (scripts/build-cache.mjs). npm dependencies stay external and load natively instead of through a
// TypeScript loader hook per module, so the API is ready ~0.5 s sooner than under tsx (docs/performance.md).
// Under a supervisor with start_early (stack.yaml), it is launched beside PostgreSQL and Redis and starts the server
// only once told they are healthy (scripts/dependency-gate.mjs); the server host loads Node and the npm packages meanwhile.
// Usage (from apps/api): node scripts/dev.mjs [node options, e.g. --inspect=127.0.0.1:9229]
// Only what the first server host needs is imported statically: it starts before the runner loads the rest.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";
import { basename, join } from "node:path";
import { COMPILE_CACHE, compileCacheEnv } from "./compile-cache.mjs";
import { dependencyGate } from "./dependency-gate.mjs";
import { splitInspect, startServerHost } from "./spare-server.mjs";
import { readVendor, vendorDir } from "./vendor.mjs";

// Read (and taken out of the environment the server inherits) before anything else.
const dependenciesMet = dependencyGate(() => {
  console.error("[dev] the supervisor went away before the dependencies were met; exiting");
  void shutdown(1);
});
// One build folder per runner, inside apps/api so that bare imports resolve from its node_modules.
// Runners killed with SIGKILL cannot clean up: their folders go when the next runner starts (below).
const BUILD_ROOT = ".dev";
const outdir = join(BUILD_ROOT, String(process.pid));
mkdirSync(outdir, { recursive: true });
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
const bundleVariant = vendor?.dir ?? "native"; // a bundle imports the vendor files or the packages by name
const compileCache = compileCacheEnv();
let server;
let spare;
let running; // the bundle the server runs: a build that changes nothing (a save without edits) restarts nothing
let builder;
let vendorBuild;
let sources; // the source watch (scripts/source-watch.mjs), once the rest of the runner is loaded
let rebuiltOnEdit = false;
let restarts = 0;
let stopping = false;

function isAlive(pid) {
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch (error) {
    return error.code === "EPERM";
  }
}

// The server's Node options and environment.
const nodeOptions = ["--enable-source-maps", ...tracing, ...process.argv.slice(2)];
// A restart after an edit skips the schema check while the migrations are unchanged (src/database/prepare.ts);
// the file goes with this runner's build folder, so every new runner checks.
const serverEnv = { ...process.env, API_SCHEMA_MARKER: join(outdir, "schema-checked"), ...compileCache };
// Server hosts (scripts/server-host.mjs) when the --inspect address is all there is to hand over; otherwise (with
// --inspect-brk, which must stop on the server's first line, or traces=1) a plain process on the bundle.
const hostOptions = tracing.length === 0 ? splitInspect(nodeOptions) : undefined;
// The first server's host now: its Node start and the npm packages' load overlap the runner's own start-up (and,
// with start_early, the dependencies' start). It runs nothing of the API before it is handed the bundle.
if (hostOptions) spare = startServerHost(hostArgs());
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => void shutdown(0));

// On a start from the kept bundle: when esbuild's first build confirms it (see below). Tests set it to tell an edit's
// restart from the confirming build's.
const CONFIRM_KEPT_AFTER_MS = Number(process.env.DEV_CONFIRM_KEPT_AFTER_MS) || 5_000;
const KEPT = new Set(["vendor", "build-cache", basename(COMPILE_CACHE)]);
for (const name of readdirSync(BUILD_ROOT)) {
  if (!KEPT.has(name) && !isAlive(Number(name))) rmSync(join(BUILD_ROOT, name), { recursive: true, force: true });
}
const [
  { keepBundle, readKeptBundle },
  { serverBundleOptions },
  { watchSources },
  { vendorImports },
  { buildOnDemand },
] = await Promise.all([
  import("./build-cache.mjs"),
  import("./server-bundle.mjs"),
  import("./source-watch.mjs"),
  import("./vendor.mjs"),
  import("./build-on-demand.mjs"),
]);

/**
 * Starts the server on the current bundle: in the spare when there is one, else in a new process. Never before the
 * dependencies are met (start_early): the server migrates and connects as it starts.
 */
async function startServer() {
  await dependenciesMet;
  if (stopping) return;
  const entry = join(outdir, "server.mjs");
  const inspect = hostOptions?.[1];
  let child = spare?.take(entry, inspect);
  if (!child && hostOptions) child = startServerHost(hostArgs()).take(entry, inspect);
  spare = undefined;
  server = child ?? spawn(process.execPath, [...nodeOptions, entry], { stdio: "inherit", env: serverEnv });
  const current = server;
  const started = new Promise((resolve) => {
    current.on("message", (message) => message?.type === "started" && resolve());
    current.once("exit", resolve);
    if (!hostOptions) resolve(); // a plain process says nothing
  });
  // Once a restarted server listens, the next restart's spare loads while the developer edits.
  void started.then(() => {
    if (restarts > 0 && current === server) prepareSpare();
  });
  current.once("exit", (code, signal) => {
    if (current.killedByUs) return;
    // The launcher contract: the server's death is the service's death. Waiting for a change (as `node --watch`
    // does) left a supervised API "running" with nothing listening; exiting lets the supervisor record why and
    // restart it with backoff (docs/reliability.md).
    console.error(`[dev] server exited (${signal ?? `code ${code}`}); exiting so that the supervisor restarts it`);
    void shutdown(code || 1);
  });
  return started;
}

/** A spare for the next restart, if there is none. Not before the first edit: a stack nobody edits pays nothing. */
function prepareSpare() {
  if (!spare && hostOptions && !stopping) spare = startServerHost(hostArgs());
}

function hostArgs() {
  // The bundle this runner built imports the vendor files only when they existed at its start.
  return { nodeOptions: hostOptions[0], env: serverEnv, vendorFolder: vendor?.dir };
}

function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  server.killedByUs = true;
  return new Promise((resolve) => {
    server.once("exit", resolve);
    server.kill("SIGTERM");
  });
}

function digest(bundle) {
  return createHash("sha256").update(bundle).digest("hex");
}

const restartAfterBuild = {
  name: "restart-after-build",
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return; // esbuild printed the errors; the old server keeps running
      sources.follow(result.metafile);
      if (vendorFolder && !vendor && !vendorBuild) vendorBuild = buildVendorLater();
      const bundle = result.outputFiles.find((file) => file.path.endsWith("server.mjs")).text;
      const built = digest(bundle);
      if (built === running) return;
      if (running) {
        console.log("[dev] source changed: restarting the server");
        restarts++;
      }
      running = built;
      keepBundle(bundleVariant, bundle, result.metafile);
      await stopServer();
      writeFileSync(join(outdir, "server.mjs"), bundle);
      startServer();
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

// esbuild's service runs for the first build, then not until a saved file (scripts/build-on-demand.mjs).
builder = buildOnDemand({
  ...serverBundleOptions(outdir, [...(vendor ? [vendorImports(vendor, outdir)] : []), restartAfterBuild]),
  sourcemap: "inline", // the debugger and stack traces show the TypeScript sources
  // Read from src/ by the debugger, not carried in the map: with them, --enable-source-maps parsed ~180 KB more JSON
  // at every server start and hot-reload restart (~13 ms of CPU of ~20, docs/performance.md).
  sourcesContent: false,
  metafile: true, // which folders to watch, and the kept bundle's inputs
  write: false, // written here, only when it changed
});
// A saved file: the first edit's spare starts loading while esbuild rebuilds and the old server stops.
sources = watchSources(() => {
  rebuiltOnEdit = true;
  prepareSpare();
  return builder.rebuild();
});
// Sources unchanged since the last build: the server starts on it now, its files watched from here on. esbuild's
// first build (its load, its service, ~0.1 s of CPU) only confirms the kept bundle, so it waits until the stack's
// start has had the two cores (`make dev` starts Vite beside the API): a few seconds after the server listens,
// unless a saved file has started esbuild by then.
const kept = readKeptBundle(bundleVariant);
if (kept) {
  writeFileSync(join(outdir, "server.mjs"), kept.bundle);
  running = digest(kept.bundle);
  sources.follow(kept);
  await dependenciesMet; // the 3 s below count from the server's start
  await Promise.race([startServer(), new Promise((resolve) => setTimeout(resolve, 3_000))]);
  await new Promise((resolve) => setTimeout(resolve, CONFIRM_KEPT_AFTER_MS));
}
if (!rebuiltOnEdit) {
  await builder.rebuild().catch(() => {}); // esbuild printed the errors; its watch builds again on the fix
  void builder.release();
}

async function shutdown(exitCode) {
  stopping = true;
  spare?.stop();
  vendorBuild?.stop();
  sources?.close();
  await builder?.dispose();
  await stopServer();
  rmSync(outdir, { recursive: true, force: true });
  process.exit(exitCode);
}
