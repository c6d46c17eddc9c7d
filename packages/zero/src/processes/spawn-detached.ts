import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts a bundled entry point (the supervisor, the compose control server, the k8s port-forwarder) with this Node,
 * detached so it outlives the CLI, its output appended to `logPath` (0600), with an IPC channel for its plan.
 * `label` (never a secret) is shown in `ps` after the entry, to tell the stacks of two checkouts apart.
 */
export function spawnDetached(entry: URL, logPath: string, cwd: string, label?: string): ChildProcess {
  mkdirSync(dirname(logPath), { recursive: true });
  const log = openSync(logPath, "a", 0o600);
  try {
    return spawn(process.execPath, [fileURLToPath(entry), ...(label ? [`--stack=${label}`] : [])], {
      cwd,
      detached: true,
      stdio: ["ignore", log, log, "ipc"],
      env: process.env,
    });
  } finally {
    closeSync(log);
  }
}
