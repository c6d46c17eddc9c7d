import { readFileSync } from "node:fs";
import { z } from "zod";
import { statePath } from "./state-path.js";

// The state file's shape, validated when a command reads it. Apart from state-file.ts so the supervisor, which
// only writes the file, does not load zod (memory; docs/performance.md).

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
  /** Why the process last ended on its own ("exit code 1", "killed by SIGKILL", "3 failed health checks"). */
  lastExit: z.string().optional(),
  /** When the next restart attempt is due, while it waits in backoff. */
  nextRetryAt: z.string().optional(),
  /** Several crashes in a row without a stable run in between. */
  crashLooping: z.boolean().optional(),
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

/** The recorded state, or undefined when there is none (or it is unreadable: treated as absent). */
export function readState(home: string): StackState | undefined {
  try {
    return stateSchema.parse(JSON.parse(readFileSync(statePath(home), "utf8")));
  } catch {
    return undefined;
  }
}
