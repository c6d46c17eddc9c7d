// The slice of the supervisor's control API the API relays (packages/zero/src/runtimes/native/supervisor/routes.ts).
// Only this module sees the token; nothing it returns carries it.

const STATUS_TIMEOUT_MS = 800;
const ACTION_TIMEOUT_MS = 30_000;

/** One service as the supervisor's GET /v1/status reports it (the fields the dashboard shows). */
export interface SupervisedService {
  state: string;
  health: string;
  pid: number;
  ports: Record<string, number>;
  restarts: number;
  startedAt: string;
  lastError?: string;
  lastCheckMs?: number;
  lastCheckAt?: string;
  cpu?: number;
  memoryBytes?: number;
}

export interface SupervisorStatus {
  profile: string;
  services: Record<string, SupervisedService>;
}

/** Thrown when the supervisor answers with an error status (the body's message kept for the caller). */
export class SupervisorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "SupervisorError";
  }
}

export type SupervisorAction = "restart" | "stop" | "start";

export interface SupervisorClient {
  status(): Promise<SupervisorStatus>;
  act(service: string, action: SupervisorAction): Promise<unknown>;
  /** The live log stream (Server-Sent Events, history first); aborting `signal` closes it. */
  logs(query: { service?: string; tail?: number }, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export function createSupervisorClient(control: { url: string; token: string }): SupervisorClient {
  const call = async (path: string, init: RequestInit & { signal: AbortSignal }) => {
    const response = await fetch(new URL(path, control.url), {
      ...init,
      headers: { authorization: `Bearer ${control.token}` },
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      throw new SupervisorError(response.status, body.error ?? `HTTP ${response.status}`);
    }
    return response;
  };
  return {
    async status() {
      const response = await call("/v1/status", { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
      return (await response.json()) as SupervisorStatus;
    },
    async act(service, action) {
      const path = `/v1/services/${encodeURIComponent(service)}/${action}`;
      const response = await call(path, { method: "POST", signal: AbortSignal.timeout(ACTION_TIMEOUT_MS) });
      return response.json();
    },
    async logs(query, signal) {
      const params = new URLSearchParams({ follow: "1" });
      if (query.service) params.set("service", query.service);
      if (query.tail !== undefined) params.set("tail", String(query.tail));
      const response = await call(`/v1/logs?${params}`, { signal });
      return response.body!;
    },
  };
}
