import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pidusage from "pidusage";

// resource-usage.ts's Usage, spelled out: that file imports this one on demand.
type Usage = { cpu: number; memoryBytes: number };

/**
 * groupUsage where there is no /proc (macOS): `ps` for the groups' members, then pidusage (`ps` again) for their CPU
 * and memory. Loaded only there.
 */
export async function groupUsageFromPs(pgids: number[]): Promise<Map<number, Usage>> {
  const usage = new Map<number, Usage>();
  if (pgids.length === 0) return usage;
  const { stdout } = await promisify(execFile)("ps", ["-eo", "pid=,pgid="]);
  const wanted = new Set(pgids);
  const members = new Map<number, number>();
  for (const row of stdout.trim().split("\n")) {
    const [pid, pgid] = row.trim().split(/\s+/).map(Number);
    if (pid && pgid && wanted.has(pgid)) members.set(pid, pgid);
  }
  const stats = await pidusage([...members.keys()]).catch(() => ({}) as Record<string, pidusage.Status>);
  for (const [pid, pgid] of members) {
    const stat = stats[pid];
    if (!stat) continue;
    const total = usage.get(pgid) ?? { cpu: 0, memoryBytes: 0 };
    usage.set(pgid, { cpu: total.cpu + stat.cpu, memoryBytes: total.memoryBytes + stat.memory });
  }
  return usage;
}
