import type { StackService } from "@zero/contracts/control";
import type { ServiceRecord, ServiceStatus } from "./runtime.js";

/** What stack.yaml says about a service: the CLI reads it from the project, so a status leaves it out. */
const STACK_FACTS: ReadonlySet<string> = new Set([
  "kind",
  "description",
  "dependsOn",
  "urls",
] satisfies (keyof StackService)[]);

/**
 * A service's status from its record (or the control API's full answer): every field of the contract is kept as it
 * is, none copied by name, so a field added to the contract reaches `zero status --json` on every runtime.
 */
export function statusOf(name: string, record: ServiceRecord | StackService): ServiceStatus {
  const run = Object.fromEntries(Object.entries(record).filter(([key]) => !STACK_FACTS.has(key))) as ServiceRecord;
  return { name, ...run, pid: run.pid || undefined, startedAt: run.startedAt || undefined };
}
