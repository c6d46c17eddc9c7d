import type { StackService, StackStatus } from "@zero/contracts/control";

/** A running stack's status as the supervisor reports it, for tests against the fake control client. */
export function stackStatusOf(services: Record<string, Partial<StackService>>): StackStatus {
  const service = (partial: Partial<StackService>): StackService => ({
    state: "running",
    health: "healthy",
    pid: 100,
    pgid: 100,
    startTime: "1",
    ports: {},
    restarts: 0,
    startedAt: "2026-01-01T00:00:00.000Z",
    kind: "process",
    dependsOn: {},
    urls: {},
    ...partial,
  });
  return {
    version: 1,
    runtime: "native",
    profile: "test",
    fingerprint: "f",
    supervisor: { pid: 1 },
    at: "2026-01-01T00:00:10.000Z",
    services: Object.fromEntries(Object.entries(services).map(([name, partial]) => [name, service(partial)])),
  };
}
