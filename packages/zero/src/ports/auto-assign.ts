import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../config/project.js";
import { ZeroError } from "../errors/zero-error.js";
import { portVariable } from "../stack/load.js";
import { busyPorts, isPortFree, portClaims } from "./check.js";

export interface PortChange {
  variable: string;
  from: number;
  to: number;
}

/**
 * For each taken port, picks the next free one above it and records it in .env (so the
 * next run keeps it). Returns the changes; the caller reloads the project with them.
 */
export async function assignFreePorts(project: Project): Promise<PortChange[]> {
  const busy = await busyPorts(portClaims(project.stack.services));
  const taken = new Set(portClaims(project.stack.services).map((claim) => claim.port));
  const changes: PortChange[] = [];
  for (const claim of busy) {
    const variable = portVariable(project.stackFile, claim.service, claim.name);
    if (!variable) {
      throw new ZeroError("ZERO_PORT_IN_USE", `Port ${claim.port} of ${claim.service} is taken and fixed in stack.yaml.`, {
        next: `Free port ${claim.port}, or make it configurable in stack.yaml (\${VARIABLE:-${claim.port}}).`,
      });
    }
    let candidate = claim.port + 1;
    while (taken.has(candidate) || !(await isPortFree(candidate))) candidate++;
    taken.add(candidate);
    changes.push({ variable, from: claim.port, to: candidate });
  }
  if (changes.length > 0) savePorts(project.root, Object.fromEntries(changes.map((c) => [c.variable, c.to])), "chosen by auto_ports");
  return changes;
}

/** Sets (or replaces) each variable in .env with a comment saying why, leaving every other line as it was. */
export function savePorts(root: string, ports: Record<string, number>, why: string) {
  const path = join(root, ".env");
  let text = existsSync(path) ? readFileSync(path, "utf8") : "";
  for (const [variable, port] of Object.entries(ports)) {
    const line = new RegExp(`^\\s*(export\\s+)?${variable}\\s*=.*$`, "m");
    const entry = `${variable}=${port} # ${why} on ${new Date().toISOString().slice(0, 10)}`;
    text = line.test(text) ? text.replace(line, entry) : `${text.replace(/\n?$/, "\n")}${entry}\n`;
  }
  writeFileSync(path, text, { mode: 0o600 });
}
