import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";

const processRecord = z.object({ pid: z.number().int(), startTime: z.string() });

export const serviceRecordSchema = z.object({
  ...processRecord.shape,
  pgid: z.number().int(),
  ports: z.record(z.string(), z.number().int()),
  state: z.enum(["pending", "starting", "running", "restarting", "stopping", "stopped", "failed"]),
  health: z.enum(["unknown", "healthy", "unhealthy"]),
  restarts: z.number().int(),
  startedAt: z.string(),
  lastError: z.string().optional(),
  /** How long the latest health probe took, and when it ran. */
  lastCheckMs: z.number().optional(),
  lastCheckAt: z.string().optional(),
});

export const stateSchema = z.object({
  version: z.literal(1),
  runtime: z.string(),
  profile: z.string(),
  fingerprint: z.string(),
  supervisor: processRecord.extend({ controlPort: z.number().int(), token: z.string() }),
  services: z.record(z.string(), serviceRecordSchema),
});

/** What the supervisor records so a later command, or a cleanup after a crash, can find everything. */
export type StackState = z.infer<typeof stateSchema>;
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

export function statePath(home: string): string {
  return join(home, "state.json");
}

/** The recorded state, or undefined when there is none (or it is unreadable: treated as absent). */
export function readState(home: string): StackState | undefined {
  try {
    return stateSchema.parse(JSON.parse(readFileSync(statePath(home), "utf8")));
  } catch {
    return undefined;
  }
}

/** Atomic write (temp file + rename) so a reader never sees half a file. Owner-only: it holds the API token. */
export function writeState(home: string, state: StackState): void {
  const path = statePath(home);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temporary, path);
}

export function removeState(home: string): void {
  rmSync(statePath(home), { force: true });
}
