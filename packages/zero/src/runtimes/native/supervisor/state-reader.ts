import { readFileSync } from "node:fs";
import { stackServiceSchema } from "@zero/contracts/control";
import * as z from "zod";
import { statePath } from "./state-path.js";

// The state file's shape, validated when a command reads it. Apart from state-file.ts so the supervisor, which
// only writes the file, does not load zod (memory; docs/performance.md).

const processRecord = z.object({ pid: z.number().int(), startTime: z.string() });

// A service's record is the control API's status of it (the contract) without what the status adds (usage and
// what stack.yaml says), and with the process group and start time a later command needs to find its processes.
export const serviceRecordSchema = stackServiceSchema
  .omit({ cpu: true, memoryBytes: true, kind: true, description: true, dependsOn: true, urls: true })
  .extend({ pgid: z.number().int(), startTime: z.string() });

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
    return parseState(JSON.parse(readFileSync(statePath(home), "utf8")));
  } catch {
    return undefined;
  }
}

/** A state file's content validated, or undefined when it does not match the schema (state-record.ts reads it). */
export function parseState(content: unknown): StackState | undefined {
  const parsed = stateSchema.safeParse(content);
  return parsed.success ? parsed.data : undefined;
}
