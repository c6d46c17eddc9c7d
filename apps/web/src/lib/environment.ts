import type { EnvironmentView as Environment, ServiceView } from "@zero/contracts";

// GET /api/v1/environment's answer, typed from the schema the API validates it with (packages/contracts).
export type { Environment, ServiceView };

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
