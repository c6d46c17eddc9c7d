import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isPortFree } from "../../src/ports/check.js";
import { runZero, waitFor } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

/** The fault fixture (test/fixtures/faults): small misbehaving programs plus real PostgreSQL and Redis. */
export const faultsCwd = new URL("../fixtures/faults/", import.meta.url).pathname;

export interface StateFile {
  supervisor: { pid: number; controlPort: number; token: string };
  services: Record<
    string,
    { pid: number; pgid: number; state: string; health: string; restarts: number; lastExit?: string }
  >;
}

/**
 * One throwaway stack of the fault fixture: its own ZERO_HOME and free ports, and helpers to poke it. With
 * ownCopy, it runs from a copy of the fixture folder, whose stack.yaml and .env a test may break.
 */
export async function faultStack(
  profile: string,
  extra: Record<string, string> = {},
  options: { ownCopy?: boolean } = {},
) {
  const env = await isolatedEnv(["APP_PORT", "POSTGRES_PORT", "REDIS_PORT"], {
    POSTGRES_PASSWORD: "faults-pg-pw",
    REDIS_PASSWORD: "faults-redis-pw",
    ZERO_PROFILE: profile,
    ...extra,
  });
  const home = env.ZERO_HOME!;
  // Beside the fixture, so that the project's node_modules (the PostgreSQL binaries) are found from it (git-ignored).
  const cwd = options.ownCopy ? mkdtempSync(join(faultsCwd, "..", ".faults-copy-")) : faultsCwd;
  if (options.ownCopy) cpSync(faultsCwd, cwd, { recursive: true });
  const zero = (...args: string[]) => runZero(args, { cwd, env });
  const state = (): StateFile => JSON.parse(readFileSync(join(home, "state.json"), "utf8"));
  const ports = () => ["APP_PORT", "POSTGRES_PORT", "REDIS_PORT"].map((name) => Number(env[name]));
  return {
    env,
    home,
    cwd,
    zero,
    state,
    /** The parsed `zero status --json`. */
    status: async () =>
      JSON.parse((await zero("status", "--json")).stdout) as { running: boolean; services: Record<string, unknown>[] },
    /**
     * Processes started for this stack: none may outlive `down`. Found by its ZERO_HOME in their environment, or,
     * for PostgreSQL and Redis (whose environment is only PATH), by their working folder: their data under the home.
     */
    processes: () => processesOf(home),
    portsFree: async () => (await Promise.all(ports().map((port) => isPortFree(port)))).every(Boolean),
    /** Waits until the service runs healthy under a pid other than `notPid`. */
    healthyAgain: (service: string, notPid: number, timeoutMs = 30_000) =>
      waitFor(
        () => {
          const record = state().services[service]!;
          return record.pid !== notPid && record.state === "running" && record.health === "healthy"
            ? record
            : undefined;
        },
        timeoutMs,
        `${service} healthy again`,
      ) as Promise<StateFile["services"][string]>,
    cleanUp: async () => {
      await zero("down");
      rmSync(home, { recursive: true, force: true });
      if (options.ownCopy) rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** Pids whose environment holds `entry` (root reads every process's environment). */
export function processesWithEnv(entry: string): number[] {
  return livePids().filter((pid) => environmentOf(pid).includes(entry));
}

/** Pids of a stack's home: ZERO_HOME=home in the environment, or a working folder inside the home. */
export function processesOf(home: string): number[] {
  const entry = `ZERO_HOME=${home}`;
  return livePids().filter(
    (pid) => environmentOf(pid).includes(entry) || `${workingFolder(pid)}/`.startsWith(`${home}/`),
  );
}

function livePids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .map(Number)
    .filter((pid) => alive(pid));
}

function environmentOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
  } catch {
    return []; // exited, or not ours to read
  }
}

function workingFolder(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return "";
  }
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Open file descriptors of a process, by what they point at. */
export function openFds(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return "gone";
    }
  });
}

/** Children of a process (by parent pid). */
export function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
