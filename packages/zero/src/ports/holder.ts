import { execFile } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import { promisify } from "node:util";
import { processCommand } from "../processes/process-info.js";

export interface PortHolder {
  pid: number;
  command: string;
}

/** Who listens on a TCP port: from /proc on Linux, lsof elsewhere; undefined when it cannot be told. */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  return process.platform === "linux" ? findOnLinux(port) : findWithLsof(port);
}

/** macOS and the BSDs (exported so Linux CI runs it too: Debian has the same lsof). */
export async function findWithLsof(port: number): Promise<PortHolder | undefined> {
  try {
    const { stdout } = await promisify(execFile)("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fp"]);
    const pid = Number(/^p(\d+)/m.exec(stdout)?.[1]);
    return pid ? { pid, command: processCommand(pid) ?? "unknown" } : undefined;
  } catch {
    return undefined;
  }
}

async function findOnLinux(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // st 0A = LISTEN; the port is the hex after the colon.
      if (local && fields[3] === "0A" && parseInt(local.split(":")[1]!, 16) === port) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      if (inodes.has(target)) {
        const pid = Number(entry);
        return { pid, command: processCommand(pid) ?? "unknown" };
      }
    }
  }
  return undefined;
}
