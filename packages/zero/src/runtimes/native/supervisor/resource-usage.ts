import { CLOCK_TICKS_PER_SECOND, listProcesses, residentBytes } from "../../../processes/process-info.js";

export interface Usage {
  /** Percent of one core, summed over the group's processes. */
  cpu: number;
  memoryBytes: number;
}

/** CPU and memory of whole process groups (a service is its group: watcher plus server, postgres plus backends). */
export type GroupUsage = (pgids: number[]) => Promise<Map<number, Usage>>;

interface Reading {
  startTime: string;
  cpuTicks: number;
  atMs: number;
  cpu: number;
}

// CPU times count in 10 ms ticks: over a shorter window (the status route and the dashboard's sample a moment
// apart) one tick more or less is ±100 %, so a reading that recent keeps the figure it gave.
const SHORTEST_WINDOW_MS = 250;

/**
 * The supervisor's one reader of its services' usage. CPU is the share of one core since the previous reading of the
 * same process (0 the first time one is seen), so the reader keeps that reading. On Linux it reads /proc itself
 * (~4 ms for 110 processes here): spawning `ps` and pidusage's two `getconf` from the supervisor cost ~20 ms of
 * `zero status`. ZERO_TEST_PROC_ROOT, for tests only, names another /proc, which a test can take away.
 */
export function groupUsageReader(procRoot = process.env.ZERO_TEST_PROC_ROOT || "/proc"): GroupUsage {
  if (process.platform !== "linux") return async (pgids) => (await import("./ps-usage.js")).groupUsageFromPs(pgids);
  let previous = new Map<number, Reading>();
  return async (pgids) => {
    const usage = new Map<number, Usage>();
    if (pgids.length === 0) return usage;
    const wanted = new Set(pgids);
    const atMs = performance.now();
    const readings = new Map<number, Reading>();
    for (const { pid, pgid, cpuTicks, startTime } of listProcesses(procRoot)) {
      if (!wanted.has(pgid)) continue;
      const memoryBytes = residentBytes(pid, procRoot);
      if (memoryBytes === undefined) continue; // exited while we read
      const before = previous.get(pid);
      const same = before?.startTime === startTime ? before : undefined; // not a new process under a reused pid
      const reading =
        same && atMs - same.atMs < SHORTEST_WINDOW_MS
          ? same
          : { startTime, cpuTicks, atMs, cpu: same ? cpuPercent(cpuTicks - same.cpuTicks, atMs - same.atMs) : 0 };
      readings.set(pid, reading);
      const { cpu } = reading;
      const total = usage.get(pgid) ?? { cpu: 0, memoryBytes: 0 };
      usage.set(pgid, { cpu: total.cpu + cpu, memoryBytes: total.memoryBytes + memoryBytes });
    }
    previous = readings; // processes gone since are forgotten
    return usage;
  };
}

/** Percent of one core: CPU ticks used over a wall-clock window. */
function cpuPercent(ticks: number, windowMs: number): number {
  return ((ticks * 1000) / CLOCK_TICKS_PER_SECOND / windowMs) * 100;
}
