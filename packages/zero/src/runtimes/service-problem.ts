import type { ServiceStatus } from "./runtime.js";

/** One line on what is wrong with a service, or undefined when nothing is (`zero status` and the MCP status tool). */
export function describeProblem(s: ServiceStatus, now = Date.now()): string | undefined {
  const retry = s.nextRetryAt
    ? `; next retry in ${Math.max(0, Math.round((Date.parse(s.nextRetryAt) - now) / 1000))} s (at ${s.nextRetryAt.slice(11, 19)} UTC)`
    : "";
  if (s.crashLooping && s.state !== "running")
    return `is crash-looping (last: ${s.lastExit ?? "unknown"}), ${s.restarts} restarts${retry}`;
  if (s.state === "restarting") return `is restarting after ${s.lastExit ?? "an exit"}${retry}`;
  if (s.health === "unhealthy") return `is unhealthy: ${s.lastError ?? "no detail"}`;
  if (s.state === "failed") return `has failed: ${s.lastExit ?? s.lastError ?? "no detail"}`;
  return undefined;
}
