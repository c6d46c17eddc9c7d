// Installs the npm dependencies a make target needs, once per lockfile (the Makefile calls it when package-lock.json
// is newer than the target's stamp). Two sets, one lockfile:
//   run   what `make dev` runs (the lockfile's dependencies): npm ci --omit=dev
//   full  also the devDependencies (tests, lint, type check, Kubernetes, devcontainer): npm ci
// and, apart, traces: OpenTelemetry for the API (traces=1), apps/api/tracing's own lockfile, so neither set holds it.
// npm ci starts from an empty node_modules, so an install that already holds the wanted set (a full one serves
// `run`; CI's own `npm ci` serves both) is kept: the check reads each locked package's version from node_modules.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";

const kind = process.argv[2];
if (kind !== "run" && kind !== "full" && kind !== "traces")
  throw new Error("usage: node scripts/install-deps.mjs run|full|traces");
await oneInstallAtATime();
// --prefer-offline: a package already in npm's cache is taken from it without asking the registry whether it is still
// current (the lockfile pins it and its integrity hash): a first `make dev` with a warm cache in 15 s rather than 19.5.
const NPM_CI_OPTIONS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
if (kind === "traces") installTracing();
const stamps = { run: "node_modules/.zero-install-run", full: "node_modules/.zero-install-full" };

/**
 * Waits for another install in this checkout to end (two `make dev` started together in a fresh clone, or two stacks
 * of one checkout with traces=1), which would otherwise run two `npm ci` into one node_modules and break it. Then
 * this one finds the packages there and installs nothing. zero's own stack lock is not installed yet at this point:
 * a file created only if absent, holding the holder's pid; a dead holder's file is taken over. Released at exit.
 */
async function oneInstallAtATime() {
  const lock = ".zero-install.lock";
  const deadline = Date.now() + 20 * 60_000; // npm ci of a slow network, bounded
  for (let told = false; ; ) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      process.once("exit", () => rmSync(lock, { force: true }));
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let holder;
    try {
      holder = Number(readFileSync(lock, "utf8")); // 0 while its holder has created it and not yet written
    } catch {
      continue; // released meanwhile
    }
    const unwrittenFor = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (holder > 0 ? !isAlive(holder) : unwrittenFor > 5_000) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      console.log(
        `✖ ZERO_STACK_BUSY: another install of the npm dependencies (pid ${holder}) has run here for 20 minutes.`,
      );
      console.log(`  Next: wait for it or stop it, or delete ${lock} if no install runs.`);
      process.exit(6);
    }
    if (!told)
      console.log(`Another install of the npm dependencies runs in this checkout (pid ${holder}); waiting for it...`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function isAlive(pid) {
  try {
    return process.kill(pid, 0);
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Packages of the lockfile that `kind` needs and node_modules lacks (at the locked version), read from disk. */
function missingPackages() {
  const wanted = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
  return (
    Object.entries(wanted)
      .filter(([path, entry]) => path.includes("node_modules/") && !entry.optional && !entry.devOptional)
      .filter(([, entry]) => kind === "full" || !entry.dev)
      // A workspace (a link into the repository) is missing when its link is: one added since the last install.
      .filter(([path, entry]) => (entry.link ? !existsSync(path) : installedVersion(path) !== entry.version))
      .map(([path]) => path)
  );
}

function installedVersion(path) {
  try {
    return JSON.parse(readFileSync(`${path}/package.json`, "utf8")).version;
  } catch {
    return undefined;
  }
}

if (missingPackages().length > 0) {
  const what = kind === "run" ? "what make dev runs" : "every tool: tests, lint, Kubernetes";
  console.log(`Installing npm dependencies: ${what} (first run, or package-lock.json changed)...`);
  const args = ["ci", ...(kind === "run" ? ["--omit=dev"] : []), ...NPM_CI_OPTIONS];
  const npm = spawnSync("npm", args, { stdio: "inherit" });
  if (npm.status !== 0) {
    console.log("✖ ZERO_PREREQ_MISSING: npm could not install the dependencies (npm's own output is above).");
    console.log(
      "  Why:  most often no access to the npm registry (`npm ping`), a full disk (`df -h .`), or a folder npm may not write.",
    );
    console.log(
      "  Next: fix the cause npm printed, then run the same make command again.  Docs: docs/troubleshooting.md#zero_prereq_missing",
    );
    process.exit(4);
  }
}
// A full install holds the run set too.
for (const done of kind === "full" ? ["run", "full"] : ["run"]) writeFileSync(stamps[done], "");

/** npm ci in apps/api/tracing (not a workspace: `make dev` never installs it), then its stamp. */
function installTracing() {
  const folder = "apps/api/tracing";
  const stamp = `${folder}/node_modules/.zero-install-traces`;
  // Installed meanwhile by the install this one waited for.
  if (statSync(stamp, { throwIfNoEntry: false })?.mtimeMs >= statSync(`${folder}/package-lock.json`).mtimeMs)
    process.exit(0);
  console.log("Installing the tracing packages (OpenTelemetry, first traces=1 or its lockfile changed)...");
  const npm = spawnSync("npm", ["ci", "--omit=dev", ...NPM_CI_OPTIONS], {
    cwd: folder,
    stdio: "inherit",
  });
  if (npm.status !== 0) {
    console.log("✖ ZERO_PREREQ_MISSING: npm could not install the tracing packages (npm's own output is above).");
    console.log("  Why:  most often no access to the npm registry (`npm ping`) or a full disk (`df -h .`).");
    console.log(
      "  Next: fix the cause npm printed, then run the same make command again.  Docs: docs/troubleshooting.md#zero_prereq_missing",
    );
    process.exit(4);
  }
  writeFileSync(stamp, "");
  process.exit(0);
}
