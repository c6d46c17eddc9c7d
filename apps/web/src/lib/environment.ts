/** One service as GET /api/v1/environment describes it (apps/api/src/environment/merge.ts). */
export interface ServiceView {
  name: string;
  state: string;
  health: "healthy" | "unhealthy" | "unknown";
  latencyMs: number | null;
  checkedAt: string | null;
  uptimeSeconds: number | null;
  cpuPercent: number | null;
  memoryBytes: number | null;
  restarts: number | null;
  url: string | null;
  error?: string;
}

export interface Environment {
  status: "ready" | "degraded";
  supervisor: { state: "connected" | "absent" | "unreachable"; error?: string };
  services: ServiceView[];
}

/** The dashboard's view of the environment endpoint, with how long the API took to answer. */
export type EnvironmentResult =
  | { kind: "loading" }
  | { kind: "unreachable"; error: string; checkedAt: Date }
  | { kind: "answered"; environment: Environment; responseMs: number; checkedAt: Date };

export async function fetchEnvironment(apiUrl: string, signal: AbortSignal): Promise<EnvironmentResult> {
  const began = performance.now();
  try {
    const response = await fetch(`${apiUrl}/api/v1/environment`, { signal });
    if (!response.ok) return { kind: "unreachable", error: `HTTP ${response.status}`, checkedAt: new Date() };
    const environment = (await response.json()) as Environment;
    return { kind: "answered", environment, responseMs: Math.round(performance.now() - began), checkedAt: new Date() };
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: "unreachable", error: error instanceof Error ? error.message : String(error), checkedAt: new Date() };
  }
}

/** Asks the API to restart one service; resolves when it did, rejects with the API's reason otherwise. */
export async function restartService(apiUrl: string, name: string): Promise<void> {
  const response = await fetch(`${apiUrl}/api/v1/environment/services/${encodeURIComponent(name)}/restart`, { method: "POST" });
  if (response.ok) return;
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  throw new Error(body.error ?? body.message ?? `HTTP ${response.status}`);
}

/** What a card's badge says: a stopped or failed process first, then its health. */
export function cardState(service: ServiceView): string {
  if (service.state !== "running") return service.state;
  return service.health === "unknown" ? "running" : service.health;
}
