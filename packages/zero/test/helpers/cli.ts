import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const zeroBin = fileURLToPath(new URL("../../bin/zero.js", import.meta.url));

/** Runs the built zero CLI as a real process (make test builds it first). */
export function runZero(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  return execa(process.execPath, [zeroBin, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
    reject: false,
    all: true,
  });
}

// The kernel may offer a port it has just taken back (CI saw postgres and https of one test get the same port), and
// test files in other workers pick ports at the same moment. So a port is never handed out twice by this process,
// and each worker takes only ports of its own share: two workers cannot pick the same one before a stack binds it.
const handedOut = new Set<number>();
const WORKER_SLOTS = 16;
const workerSlot = Number(process.env.VITEST_POOL_ID ?? 0) % WORKER_SLOTS;

/**
 * The worker share a port belongs to. Not `port % 16`: Linux offers only odd ports to a listen on port 0 (it keeps
 * the even ones for outgoing connections), so the even shares were never offered and a second worker found no port.
 */
export function shareOf(port: number): number {
  return Math.floor(port / 2) % WORKER_SLOTS;
}

/** A port nothing listens on right now, distinct from every other this test process was given. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const port = await portTheKernelOffers();
    if (shareOf(port) !== workerSlot || handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error("freePort: no unused port of this worker's share in 1,000 offers");
}

/** The port the kernel gives a listen on port 0, closed again. */
export function portTheKernelOffers(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until check returns a truthy value; fails with the last error after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** True while a live (non-zombie) process of the group exists, as `ps` sees it. */
export function groupAlive(pgid: number): boolean {
  const rows = execFileSync("ps", ["-eo", "pgid=,stat="], { encoding: "utf8" }).trim().split("\n");
  return rows.some((row) => {
    const [group, stat] = row.trim().split(/\s+/);
    return Number(group) === pgid && !stat!.startsWith("Z");
  });
}
