import type { EnvironmentView, ServiceView } from "@zero/contracts";
import type { DependencyCheck } from "./dependency-checks.js";
import type { StackService, StackStatus } from "@zero/contracts/control";


/** What the API measured itself: its own process and the dependencies it checked (a missing cache is not checked). */
export interface OwnView {
  now: Date;
  api: { uptimeSeconds: number; cpuPercent: number; memoryBytes: number; url: string };
  checks: { postgres: DependencyCheck; redis?: DependencyCheck };
  urls: { postgres: string; redis?: string };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

// Merges the supervisor's view (process state, uptime, resources) with the API's own fresh checks of PostgreSQL
// and Redis: a failing own check wins, since it is newer than the supervisor's last probe and is what the API lives with.
export function mergeEnvironment(own: OwnView, supervisor: { status?: StackStatus; state: EnvironmentView["supervisor"] }): EnvironmentView {
  const supervised = supervisor.status?.services ?? {};
  const names = [...new Set([...Object.keys(supervised), "postgres", ...(own.checks.redis ? ["redis"] : []), "api"])];
  const services = names.map((name): ServiceView => {
    const record = supervised[name];
    const base = record ? fromSupervisor(name, record, own.now) : fromOwnView(name, own);
    const check = own.checks[name as keyof OwnView["checks"]];
    if (!check) return base;
    return {
      ...base,
      health: check.ok ? (record ? base.health : "healthy") : "unhealthy",
      latencyMs: check.latencyMs,
      checkedAt: check.checkedAt,
      ...(check.error ? { error: check.error } : {}),
    };
  });
  const ready = services.every((service) => service.health === "healthy" && service.state === "running");
  return { status: ready ? "ready" : "degraded", supervisor: supervisor.state, services };
}

function fromSupervisor(name: string, record: StackService, now: Date): ServiceView {
  const running = record.state === "running";
  return {
    name,
    state: record.state,
    health: record.health === "healthy" || record.health === "unhealthy" ? record.health : "unknown",
    latencyMs: record.lastCheckMs ?? null,
    checkedAt: record.lastCheckAt ?? null,
    uptimeSeconds: running ? Math.max(0, Math.round((now.getTime() - Date.parse(record.startedAt)) / 1000)) : null,
    cpuPercent: running && record.cpu !== undefined ? round(record.cpu) : null,
    memoryBytes: running ? (record.memoryBytes ?? null) : null,
    restarts: record.restarts,
    url: serviceUrl(name, record.ports),
    ...(record.lastError ? { error: record.lastError } : {}),
  };
}

// Without a supervisor the API only knows itself and what its own checks say about the dependencies.
function fromOwnView(name: string, own: OwnView): ServiceView {
  const empty = { latencyMs: null, checkedAt: null, uptimeSeconds: null, cpuPercent: null, memoryBytes: null, restarts: null };
  if (name === "api") {
    return { name, state: "running", health: "healthy", ...empty, ...own.api, cpuPercent: round(own.api.cpuPercent) };
  }
  const check = own.checks[name as keyof OwnView["checks"]];
  return { name, state: check?.ok ? "running" : "unreachable", health: "unknown", ...empty, url: own.urls[name as keyof OwnView["urls"]] ?? null };
}

function serviceUrl(name: string, ports: Record<string, number>): string | null {
  if (ports.http) return `http://127.0.0.1:${ports.http}`;
  const main = ports.main ?? Object.values(ports)[0];
  if (!main) return null;
  const scheme = name === "postgres" ? "postgres" : name === "redis" ? "redis" : "tcp";
  return `${scheme}://127.0.0.1:${main}`;
}

/** A URL without its credentials (user and password), to show where a dependency lives. */
export function withoutCredentials(url: string): string {
  const copy = new URL(url);
  copy.username = "";
  copy.password = "";
  return copy.toString().replace(/\/$/, "");
}
