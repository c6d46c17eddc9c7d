#!/usr/bin/env node
// `make bench`: times the stack's lifecycle the way a developer runs it and prints medians.
// Runs the full stack on other free ports in a throwaway ZERO_HOME, so it never touches your own stack.
// Usage: node scripts/bench.mjs [--runs N]
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
const root = new URL("..", import.meta.url).pathname;

function newHome() {
  const home = mkdtempSync(join(tmpdir(), "zero-bench-"));
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
const benchEnv = (home) => ({ ...process.env, ...ports, CORS_ORIGIN: `http://127.0.0.1:${ports.WEB_PORT}`, ZERO_HOME: home, NO_COLOR: "1" });

/** Runs one make target and returns its wall time in ms; fails loudly if the target fails. */
function timeMake(target, home) {
  const began = process.hrtime.bigint();
  const result = spawnSync("make", ["--no-print-directory", target], { cwd: root, env: benchEnv(home), encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  if (result.status !== 0) throw new Error(`make ${target} failed:\n${result.stdout}\n${result.stderr}`);
  return ms;
}

/**
 * Memory of the supervisor and every process in the services' process groups, two ways: the sum of
 * RSS counts pages shared between processes (the node binary, ~45 MB, in each Node process) once per
 * process; PSS (Linux) splits each shared page between the processes that map it, so it adds up.
 */
function stackMemoryMb(home) {
  const state = JSON.parse(readFileSync(join(home, "state.json"), "utf8"));
  const groups = new Set(Object.values(state.services).map((s) => s.pgid));
  const rows = execFileSync("ps", ["-eo", "pid=,pgid=,rss="], { encoding: "utf8" }).trim().split("\n");
  let rssKb = 0;
  let pssKb = 0;
  for (const row of rows) {
    const [pid, pgid, rss] = row.trim().split(/\s+/).map(Number);
    if (!groups.has(pgid) && pid !== state.supervisor.pid) continue;
    rssKb += rss;
    pssKb += processPssKb(pid) ?? rss;
  }
  return { rss: rssKb / 1024, pss: pssKb / 1024 };
}

function processPssKb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").split("\n").find((l) => l.startsWith("Pss:"));
    return line ? Number(line.split(/\s+/)[1]) : undefined;
  } catch {
    return undefined; // not Linux, or the process just exited
  }
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = { cold: [], warm: [], down: [], rss: [], pss: [] };
execFileSync("make", ["--no-print-directory", "build"], { cwd: root, stdio: "inherit" });
for (let i = 0; i < runs; i++) {
  const home = newHome();
  try {
    samples.cold.push(timeMake("dev", home));
    samples.down.push(timeMake("down", home));
    samples.warm.push(timeMake("dev", home));
    // Let start-up settle (Vite's first compile, tsx's child) before measuring memory.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const memory = stackMemoryMb(home);
    samples.rss.push(memory.rss);
    samples.pss.push(memory.pss);
    samples.down.push(timeMake("down", home));
  } finally {
    spawnSync("make", ["--no-print-directory", "down"], { cwd: root, env: benchEnv(home) });
    rmSync(home, { recursive: true, force: true });
  }
  process.stderr.write(`run ${i + 1}/${runs} done\n`);
}

const rows = [
  ["cold make dev (fresh data dir)", samples.cold, "ms", undefined],
  ["warm make dev (existing data)", samples.warm, "ms", 1500],
  ["make down", samples.down, "ms", 1000],
  ["stack memory, sum of RSS", samples.rss, "MB", 400],
  ["stack memory, sum of PSS", samples.pss, "MB", 400],
];
console.log(`\nZero-to-Running bench: ${runs} runs, ${new Date().toISOString()}, node ${process.version}\n`);
console.log("| measure | median | min | max | target | median/target |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, xs, unit, target] of rows) {
  const m = median(xs);
  const fmt = (x) => `${x.toFixed(0)} ${unit}`;
  const ratio = target ? `${(m / target).toFixed(2)}` : "-";
  console.log(`| ${name} | ${fmt(m)} | ${fmt(Math.min(...xs))} | ${fmt(Math.max(...xs))} | ${target ? fmt(target) : "-"} | ${ratio} |`);
}
