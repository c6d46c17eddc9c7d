/** What /health/ready answers (200 ready, 503 not_ready). */
export interface Readiness {
  status: "ready" | "not_ready";
  database: DependencyState;
  cache: DependencyState;
  errors?: Partial<Record<"database" | "cache", string>>;
}

export type DependencyState = "ok" | "error" | "disabled";

/** The landing page's view of the API: reachable or not, ready or not, and how fast it answered. */
export type ApiHealth =
  | { kind: "loading" }
  | { kind: "unreachable"; error: string; checkedAt: Date }
  | { kind: "answered"; readiness: Readiness; responseMs: number; checkedAt: Date };

/** Times one readiness check; a network error or a body that is not a readiness answer is "unreachable". */
export async function checkApi(apiUrl: string, signal: AbortSignal): Promise<ApiHealth> {
  const began = performance.now();
  try {
    const response = await fetch(`${apiUrl}/health/ready`, { signal });
    const body = (await response.json()) as Readiness;
    const responseMs = Math.round(performance.now() - began);
    if (!isReadiness(body)) return { kind: "unreachable", error: `unexpected answer (HTTP ${response.status})`, checkedAt: new Date() };
    return { kind: "answered", readiness: body, responseMs, checkedAt: new Date() };
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: "unreachable", error: error instanceof Error ? error.message : String(error), checkedAt: new Date() };
  }
}

export function isReadiness(body: unknown): body is Readiness {
  const value = body as Readiness | null;
  return Boolean(value) && (value!.status === "ready" || value!.status === "not_ready") && typeof value!.database === "string";
}
