import type { ServiceAction } from "@zero/contracts/control";
import { CONTROL_PATH, TOKEN_HEADER, TOKEN_META } from "./control-path";
import { devlog } from "./devlog";

// The page's one way to the orchestrator: the dev server's same-origin control path (server/control-proxy.ts),
// authenticated with the token only this page's HTML carries.

export type { ServiceAction } from "@zero/contracts/control";

/** Why the control path does not work: no control API (Vite started by hand, outside zero), or it does not answer. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

export function controlToken(): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)?.content ?? "";
}

/** fetch() on the control path with the token; logs the call in development. */
export async function controlFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const url = `${CONTROL_PATH}${path}`;
  const method = init.method ?? "GET";
  const began = performance.now();
  try {
    const response = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), [TOKEN_HEADER]: controlToken() },
    });
    devlog.call(method, url, response.status, began);
    return response;
  } catch (error) {
    devlog.call(method, url, (error as Error).name, began);
    throw error;
  }
}

/** Reads an error answer of the control path as a ControlError. */
export async function controlError(response: Response): Promise<ControlError> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
  return new ControlError(body.error ?? `HTTP ${response.status}`, response.status, body.reason);
}

/**
 * Restarts, stops or starts one service; resolves once the supervisor has done it, with `joined` when the same
 * action was already under way for it (another tab, the CLI) and this one waited for it instead of running twice.
 * Restarting the dev server that serves this page (`servesPage`) cuts the very call that asked for it while the
 * supervisor goes on: then it resolves once the server answers again.
 */
export async function serviceAction(
  service: string,
  action: ServiceAction,
  servesPage = false,
): Promise<{ joined: boolean }> {
  let response: Response;
  try {
    response = await controlFetch(`/v1/services/${encodeURIComponent(service)}/${action}`, { method: "POST" });
  } catch (error) {
    if (servesPage && action === "restart" && error instanceof TypeError) {
      await untilControlAnswers();
      return { joined: false };
    }
    throw error;
  }
  if (!response.ok) throw await controlError(response);
  const body = (await response.json().catch(() => ({}))) as { joined?: boolean };
  return { joined: body.joined === true };
}

/** The service whose ports include the one this page was loaded from: the dev server serving the page. */
export function pageServer(services: Record<string, { ports: Record<string, number> }>): string | undefined {
  const port = Number(window.location.port || (window.location.protocol === "https:" ? 443 : 80));
  return Object.keys(services).find((name) => Object.values(services[name]!.ports).includes(port));
}

async function untilControlAnswers(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const answered = await controlFetch("/v1/status").then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline) throw new ControlError("this page's server did not come back", 0, "unreachable");
  }
}
