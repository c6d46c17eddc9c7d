// The supervisor's GET /v1/status as the page reads it: the control API's contract (packages/contracts/src/control).
import { type StackService, type StackStatus, stackStatusSchema } from "@zero/contracts/control";
import { checkAnswer } from "./contract";

export type { StackService, StackStatus };

/** One `status` event of the stream, read with the contract's schema (lib/contract.ts). */
export function parseStatusEvent(data: string): { status: StackStatus } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { error: "a status event that is not JSON" };
  }
  const checked = checkAnswer(stackStatusSchema, value, "a status event");
  return "error" in checked ? checked : { status: checked.value };
}

export type Overall = "healthy" | "starting" | "degraded" | "failed" | "unknown";

/** One word for the whole stack: what the title and the favicon show. */
export function overallState(status: StackStatus | undefined): Overall {
  if (!status) return "unknown";
  const services = Object.values(status.services);
  if (services.some((s) => s.state === "failed" || s.state === "restarting")) return "failed";
  if (services.some((s) => s.state === "starting" || s.state === "pending")) return "starting";
  if (services.every((s) => s.state === "running" && !needsAttention(s))) return "healthy";
  return "degraded";
}

/** A service that crashed, is crash-looping, is unhealthy, or came back from a crash without passing its check yet. */
export function needsAttention(service: StackService): boolean {
  const badge = serviceBadge(service);
  return (
    badge === "failed" ||
    badge === "restarting" ||
    badge === "unhealthy" ||
    (service.restarts > 0 && badge === "running")
  );
}

/** What the row's badge says: a process that is not running first, then its health. */
export function serviceBadge(service: StackService): string {
  if (service.state !== "running") return service.state;
  return service.health === "unknown" ? "running" : service.health;
}

/** Service names in dependency order (dependencies first), then by name: the table's order and restart-all's. */
export function dependencyOrder(services: Record<string, StackService>): string[] {
  const done: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (done.includes(name) || path.has(name) || !services[name]) return;
    path.add(name);
    for (const dependency of Object.keys(services[name].dependsOn).sort()) visit(dependency, path);
    done.push(name);
  };
  for (const name of Object.keys(services).sort()) visit(name, new Set());
  return done;
}

/** Seconds since startedAt, or null when not running. */
export function uptimeSeconds(service: StackService, now: number): number | null {
  if (service.state !== "running" || !service.startedAt) return null;
  return Math.max(0, Math.round((now - Date.parse(service.startedAt)) / 1000));
}

/** "http://127.0.0.1:3001/docs" links the stack declares, and a debugger address for an inspector port. */
export function debuggerAddress(service: StackService): string | undefined {
  const port = service.ports.debug;
  return port ? `127.0.0.1:${port}` : undefined;
}
