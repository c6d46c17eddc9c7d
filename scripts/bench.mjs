#!/usr/bin/env node
// `make bench`: times the stack's lifecycle the way a developer runs it and prints medians.
// Runs the full stack on other free ports in a throwaway ZERO_HOME, so it never touches your own stack.
// Usage: node scripts/bench.mjs [--runs N] [--native-only] [--traces]  (--traces: the native stack with traces=1)
// Every time is printed beside its multiple of `node -e 0` timed in the same run (the floor), with the target met or not.
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { timeApiEdits, timeWebEdits } from "./bench-edits.mjs";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "native-only": { type: "boolean", default: false },
    traces: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
// Every native make call of the bench gets the same options (the stack records its profile, e.g. full+traces).
const stackArgs = values.traces ? ["traces=1"] : [];
const root = new URL("..", import.meta.url).pathname;

// Beside the checkout's own `.zero`, where a developer's stack lives: a temporary folder can be on another, slower
// file system (on the project's CI machine, creating a file under /tmp costs ~10× what it costs in the checkout).
const benchDir = join(root, ".zero", "bench");

function newHome() {
  mkdirSync(benchDir, { recursive: true });
  const home = mkdtempSync(join(benchDir, "home-"));
  chmodSync(home, 0o755);
  return home;
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const ports = {};
for (const name of ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"]) ports[name] = String(await freePort());
const benchEnv = (home, extra = {}) => ({ ...process.env, ...ports, CORS_ORIGIN: `http://127.0.0.1:${ports.WEB_PORT}`, ZERO_HOME: home, NO_COLOR: "1", ...extra });

/** Runs one make target and returns its wall time in ms; fails loudly if the target fails. */
function timeMake(target, home, args = stackArgs, extraEnv = {}) {
  const began = process.hrtime.bigint();
  const result = spawnSync("make", ["--no-print-directory", target, ...args], { cwd: root, env: benchEnv(home, extraEnv), encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  if (result.status !== 0) throw new Error(`make ${target} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return ms;
}

/**
 * Memory of the supervisor and every process of the services (their process groups, and what those start in
 * sessions of their own, as PostgreSQL's backends), two ways: the sum of RSS counts pages shared between processes
 * (the node binary, ~45 MB, in each Node process) once per process; PSS (Linux) splits each shared page between the
 * processes that map it, so it adds up.
 */
function stackMemoryMb(home) {
  const state = JSON.parse(readFileSync(join(home, "state.json"), "utf8"));
  const groups = new Set(Object.values(state.services).map((s) => s.pgid));
  const rows = execFileSync("ps", ["-eo", "pid=,pgid=,ppid=,rss="], { encoding: "utf8" }).trim().split("\n");
  const processes = rows.map((row) => row.trim().split(/\s+/).map(Number));
  // A service's processes: its group, and what they start in sessions of their own (PostgreSQL's backends do).
  const groupOf = new Map(processes.filter(([, pgid]) => groups.has(pgid)).map(([pid, pgid]) => [pid, pgid]));
  for (let added = true; added; ) {
    added = false;
    for (const [pid, , ppid] of processes) {
      if (groupOf.has(pid) || !groupOf.has(ppid)) continue;
      groupOf.set(pid, groupOf.get(ppid));
      added = true;
    }
  }
  let rssKb = 0;
  let pssKb = 0;
  let apiPssKb = 0; // the API's own group (its dev runner and server): what traces=1 changes
  for (const [pid, , , rss] of processes) {
    if (!groupOf.has(pid) && pid !== state.supervisor.pid) continue;
    const pss = processPssKb(pid) ?? rss;
    rssKb += rss;
    pssKb += pss;
    if (groupOf.get(pid) === state.services.api?.pgid) apiPssKb += pss;
  }
  return { rss: rssKb / 1024, pss: pssKb / 1024, apiPss: apiPssKb / 1024 };
}

function processPssKb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").split("\n").find((l) => l.startsWith("Pss:"));
    return line ? Number(line.split(/\s+/)[1]) : undefined;
  } catch {
    return undefined; // not Linux, or the process just exited
  }
}

const zeroBin = join(root, "packages", "zero", "bin", "zero.js");

/** Wall time in ms of one `node ...` run (the floor: `node -e 0`; the CLI: `node zero.js help`). */
function timeNode(args, env = process.env) {
  const began = process.hrtime.bigint();
  spawnSync(process.execPath, args, { cwd: root, env, stdio: "ignore" });
  return Number(process.hrtime.bigint() - began) / 1e6;
}

/** The supervisor's own timestamps of one start (its log lines since `since`), relative to `since`. */
function timeline(home, since) {
  const lines = readFileSync(join(home, "logs", "supervisor.log"), "utf8").split("\n");
  const events = [];
  for (const line of lines) {
    const at = Date.parse(line.slice(0, 24));
    if (!(at >= since)) continue;
    // The supervisor's own lines (run-supervisor.ts): its process loaded, then the plan from the CLI.
    const text = line.slice(25);
    if (text.startsWith("loaded, waiting for the plan")) events.push([at - since, "supervisor loaded, waiting for the plan"]);
    if (text.startsWith("plan received")) events.push([at - since, "plan received (the CLI has loaded and checked the project)"]);
    try {
      const event = JSON.parse(text);
      if (["spawned", "starting", "healthy"].includes(event.type)) events.push([at - since, `${event.service} ${event.type}`]);
    } catch {
      // not an event line
    }
  }
  return events;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = { coldUncached: [], pssAtRest: [], cold: [], warm: [], down: [], rss: [], pss: [], apiPss: [], floor: [], help: [], status: [], snapshot: [], restore: [], apiEdit: [], webEdit: [] };
const EDITS_PER_RUN = 3;
let webEdits = true; // false: no Chromium here (CHROMIUM_PATH), the row is left out
const webFailures = [];
const warmTimelines = []; // one per run: the run whose warm start is the median is printed

/** A database snapshot command's own time (seeded database, to the moment it is usable), as it reports it. */
function snapshotMs(target, home, args) {
  const result = spawnSync("make", ["--no-print-directory", target, ...args], { cwd: root, env: benchEnv(home), encoding: "utf8" });
  const seconds = / in (\d+\.\d+) s/.exec(result.stdout)?.[1];
  if (result.status !== 0 || !seconds) throw new Error(`make ${target} failed:\n${result.stdout}\n${result.stderr}`);
  return Number(seconds) * 1000;
}
execFileSync("make", ["--no-print-directory", "build"], { cwd: root, stdio: "inherit" });
for (let i = 0; i < runs; i++) {
  // The first stack on a machine: zero's per-user cache (the pristine PostgreSQL cluster, the parsed stack.yaml,
  // compiled code) empty, so PostgreSQL runs initdb. Every later new data directory copies the cached cluster.
  const firstHome = newHome();
  const emptyCache = { XDG_CACHE_HOME: mkdtempSync(join(benchDir, "cache-")) };
  try {
    samples.coldUncached.push(timeMake("dev", firstHome, stackArgs, emptyCache));
    timeMake("down", firstHome, stackArgs, emptyCache);
  } finally {
    spawnSync("make", ["--no-print-directory", "down", ...stackArgs], { cwd: root, env: benchEnv(firstHome, emptyCache) });
    rmSync(firstHome, { recursive: true, force: true });
    rmSync(emptyCache.XDG_CACHE_HOME, { recursive: true, force: true });
  }
  const home = newHome();
  try {
    samples.cold.push(timeMake("dev", home));
    samples.down.push(timeMake("down", home));
    const warmBegan = Date.now();
    samples.warm.push(timeMake("dev", home));
    samples.snapshot.push(snapshotMs("snapshot", home, ["name=bench", ...stackArgs]));
    samples.restore.push(snapshotMs("restore-snapshot", home, ["name=bench", "yes=1", ...stackArgs]));
    warmTimelines.push([...timeline(home, warmBegan), [samples.warm.at(-1), "make dev exits (summary printed)"]]);
    // The floor and the CLI, alternating in the same moment (status with the stack running).
    for (let k = 0; k < 3; k++) {
      samples.floor.push(timeNode(["-e", "0"]));
      samples.help.push(timeNode([zeroBin, "help"]));
      samples.status.push(timeNode([zeroBin, "status"], benchEnv(home)));
    }
    // Let start-up settle (Vite's first compile, tsx's child) before measuring memory.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const memory = stackMemoryMb(home);
    samples.rss.push(memory.rss);
    samples.pss.push(memory.pss);
    samples.apiPss.push(memory.apiPss);
    // At rest: V8 returns start-up garbage some seconds later (the supervisor 30 → 20 MB, Vite and the API 5-10 MB
    // each); this is what the stack holds while a developer works, before any edit (an edit adds the API's spare).
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    samples.pssAtRest.push(stackMemoryMb(home).pss);
    // Hot reload, after the memory (the browser makes Vite compile the page): API edits, then dashboard edits.
    samples.apiEdit.push(...(await timeApiEdits(root, ports.API_PORT, EDITS_PER_RUN)));
    // A failed dashboard edit is reported under the table, not fatal: it was seen to miss an update now and then.
    const web = webEdits ? await timeWebEdits(root, ports.WEB_PORT, ports.API_PORT, EDITS_PER_RUN).catch((error) => ({ error })) : undefined;
    if (web?.error) webFailures.push(web.error.message);
    else if (web) samples.webEdit.push(...web);
    else webEdits = false;
    samples.down.push(timeMake("down", home));
  } finally {
    spawnSync("make", ["--no-print-directory", "down", ...stackArgs], { cwd: root, env: benchEnv(home) });
    rmSync(home, { recursive: true, force: true });
  }
  process.stderr.write(`run ${i + 1}/${runs} done\n`);
}

// The same lifecycle with runtime=compose, when Docker answers (images come from the environment:
// official ones, or the stand-ins of infrastructure/docker/standins). Its own Compose project.
const composeSamples = { cold: [], warm: [], down: [], memory: [] };
const dockerAnswers = !values["native-only"] && spawnSync("docker", ["info"], { stdio: "ignore" }).status === 0;
if (dockerAnswers) {
  const compose = ["runtime=compose"];
  process.env.COMPOSE_PROJECT_NAME = "zero-bench-compose";
  for (let i = 0; i < runs; i++) {
    const home = newHome();
    try {
      composeSamples.cold.push(timeMake("dev", home, compose));
      composeSamples.down.push(timeMake("down", home, compose));
      composeSamples.warm.push(timeMake("dev", home, compose));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      composeSamples.memory.push(containerMemoryMb("zero-bench-compose"));
      composeSamples.down.push(timeMake("down", home, compose));
    } finally {
      spawnSync("make", ["--no-print-directory", "down", ...compose, "volumes=1"], { cwd: root, env: benchEnv(home) });
      rmSync(home, { recursive: true, force: true });
    }
    process.stderr.write(`compose run ${i + 1}/${runs} done\n`);
  }
}

/** Sum of the project's containers' memory as `docker stats` reports it (cgroup usage, MiB). */
function containerMemoryMb(project) {
  const ids = execFileSync("docker", ["ps", "-q", "--filter", `label=com.docker.compose.project=${project}`], { encoding: "utf8" }).split("\n").filter(Boolean);
  const out = execFileSync("docker", ["stats", "--no-stream", "--format", "{{.MemUsage}}", ...ids], { encoding: "utf8" });
  const units = { B: 1 / 1024 ** 2, KiB: 1 / 1024, MiB: 1, GiB: 1024, kB: 1 / 1048.576, MB: 1 / 1.048576, GB: 953.67 };
  return out.split("\n").filter(Boolean).reduce((sum, line) => {
    const [, value, unit] = /^([\d.]+)\s*([A-Za-z]+)/.exec(line.split("/")[0].trim()) ?? [];
    return sum + Number(value) * (units[unit] ?? Number.NaN);
  }, 0);
}

// Targets of issue 23: times as a multiple of `node -e 0` measured in the same run, memory in MB.
const floor = median(samples.floor);
const rows = [
  ["cold make dev (fresh data dir)", samples.cold, "ms", 20],
  ["cold make dev, first stack on the machine (initdb)", samples.coldUncached, "ms", undefined],
  ["warm make dev (existing data)", samples.warm, "ms", 10],
  ["make down", samples.down, "ms", 3],
  ["zero help", samples.help, "ms", 1.5],
  ["zero status (stack running)", samples.status, "ms", 2],
  ["API source edit → new code answering", samples.apiEdit, "ms", 3],
  ...(webEdits && samples.webEdit.length > 0 ? [["web component edit → DOM updated, state kept", samples.webEdit, "ms", 2]] : []),
  ["stack memory, sum of RSS", samples.rss, "MB", undefined],
  ["stack memory, sum of PSS, 3 s after start", samples.pss, "MB", undefined],
  ["stack memory, sum of PSS, at rest (15 s)", samples.pssAtRest, "MB", 200],
  ["API memory (its group's PSS)", samples.apiPss, "MB", undefined],
  // Seconds the command reports until the database is usable (issue 25: at most 1 s natively).
  ["make snapshot (seeded database)", samples.snapshot, "ms", undefined],
  ["make restore-snapshot (seeded database)", samples.restore, "ms", undefined],
];
console.log(`\nZero-to-Running bench: ${runs} runs, ${new Date().toISOString()}, node ${process.version}`);
console.log(`node -e 0 (the floor): median ${floor.toFixed(0)} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
if (!webEdits) console.log("(no Chromium at CHROMIUM_PATH or /usr/bin/chromium: no web component edit row)\n");
console.log("| measure | median | min | max | × node -e 0 | target | met |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | :---: |");
for (const [name, xs, unit, target] of rows) {
  const m = median(xs);
  const fmt = (x) => `${x.toFixed(0)} ${unit}`;
  const ratio = unit === "ms" ? m / floor : undefined;
  const goal = target === undefined ? "-" : unit === "ms" ? `≤ ${target}×` : `≤ ${target} MB`;
  const met = target === undefined ? "" : (ratio ?? m) <= target ? "✔" : "✖";
  console.log(`| ${name} | ${fmt(m)} | ${fmt(Math.min(...xs))} | ${fmt(Math.max(...xs))} | ${ratio ? `${ratio.toFixed(1)}×` : "-"} | ${goal} | ${met} |`);
}

for (const failure of webFailures) console.log(`\nA run's dashboard edits failed: ${failure}`);

// The median run's, not the last one's: a slow outlier's timeline would explain the outlier, not the median.
const medianRun = samples.warm.indexOf([...samples.warm].sort((a, b) => a - b)[Math.floor((samples.warm.length - 1) / 2)]);
const warmTimeline = warmTimelines[medianRun];
if (warmTimeline) {
  console.log(`\nWhere the time goes: the median warm start (run ${medianRun + 1}), from the supervisor's log (ms after make dev began):\n`);
  console.log("| at | event |");
  console.log("| ---: | --- |");
  for (const [at, what] of warmTimeline) console.log(`| ${at.toFixed(0)} | ${what} |`);
}

if (dockerAnswers) {
  console.log("\nThe same stack with runtime=compose (same machine, same run; median of each):\n");
  console.log("| measure | native | compose | compose/native |");
  console.log("| --- | ---: | ---: | ---: |");
  const pairs = [
    ["cold make dev (fresh data)", samples.cold, composeSamples.cold, "ms"],
    ["warm make dev (existing data)", samples.warm, composeSamples.warm, "ms"],
    ["make down", samples.down, composeSamples.down, "ms"],
    ["stack memory (native PSS; compose cgroup usage)", samples.pss, composeSamples.memory, "MB"],
  ];
  for (const [name, native, compose, unit] of pairs) {
    const perFloor = unit === "ms" ? ` (${(median(compose) / floor).toFixed(1)}× node)` : "";
    console.log(`| ${name} | ${median(native).toFixed(0)} ${unit} | ${median(compose).toFixed(0)} ${unit}${perFloor} | ${(median(compose) / median(native)).toFixed(2)} |`);
  }
  const lead = median(composeSamples.warm) / median(samples.warm);
  console.log(`\nNative keeps its lead on warm start (compose ≥ 4× native): ${lead.toFixed(1)}× ${lead >= 4 ? "✔" : "✖"}`);
} else {
  console.log("\n(docker info failed: no compose figures. Start Docker to compare the runtimes.)");
}
