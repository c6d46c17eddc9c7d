import { readFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { ControlAddress } from "./control-client/client.js";

// How a program that zero starts (the API, the dashboard's dev server) reaches the control API, on every runtime:
// - natively ZERO_CONTROL_URL=http://127.0.0.1:<port> and ZERO_CONTROL_TOKEN (the supervisor's);
// - in a container ZERO_CONTROL_URL=unix:/run/zero/control.sock (the compose control server's socket, bind-mounted)
//   and ZERO_CONTROL_TOKEN_FILE (docs/decisions/0018-compose-control-server-on-a-mounted-socket.md).
// Node only (the dashboard's browser code never imports it).

export interface ControlEndpoint {
  /** What it is, for messages ("http://127.0.0.1:40123", "unix:/run/zero/control.sock"). */
  url: string;
  /** Read when a request is made: a token file may be written after the program started. */
  token(): string;
}

/** The endpoint the environment names, or undefined when the program does not run under zero. */
export function controlEndpoint(env: NodeJS.ProcessEnv): ControlEndpoint | undefined {
  const url = env.ZERO_CONTROL_URL;
  if (!url) return undefined;
  if (env.ZERO_CONTROL_TOKEN) {
    const token = env.ZERO_CONTROL_TOKEN;
    return { url, token: () => token };
  }
  const file = env.ZERO_CONTROL_TOKEN_FILE;
  if (!file) return undefined;
  return { url, token: () => readFileSync(file, "utf8").trim() };
}

/** Where to connect: a TCP address, or a Unix socket's path. */
function target(url: string): { socketPath: string } | { host: string; port: string } {
  const parsed = new URL(url);
  if (parsed.protocol === "unix:") return { socketPath: parsed.pathname };
  if (parsed.protocol !== "http:") throw new Error(`ZERO_CONTROL_URL must be http: or unix:, not ${parsed.protocol}`);
  return { host: parsed.hostname, port: parsed.port };
}

/**
 * One request to the control API with the token added; resolves with the answer as it arrives (a stream for
 * follow=1). `fetch` cannot reach a Unix socket, so this uses node:http for both kinds of address.
 */
export function controlRequest(
  endpoint: ControlEndpoint,
  options: { method?: string; path: string; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const call = request(
      {
        ...target(endpoint.url),
        method: options.method ?? "GET",
        path: options.path,
        headers: { host: "localhost", ...options.headers, authorization: `Bearer ${endpoint.token()}` },
        signal: options.signal,
      },
      resolve,
    );
    call.once("error", reject);
    call.once("socket", (socket) => socket.setNoDelay?.(true)); // an event is a few hundred bytes: send it now
    call.end();
  });
}

/**
 * The address the typed control client (`createControlClient`) takes: natively the URL and token; for a Unix
 * socket a `fetch` that goes through it. Undefined when the program does not run under zero, or the token file
 * cannot be read (the API then reports the control API as absent instead of failing to start).
 */
export function controlAddress(env: NodeJS.ProcessEnv): ControlAddress | undefined {
  const endpoint = controlEndpoint(env);
  if (!endpoint) return undefined;
  let token: string;
  try {
    token = endpoint.token();
  } catch {
    return undefined;
  }
  if (new URL(endpoint.url).protocol !== "unix:") return { url: endpoint.url, token };
  return { url: "http://localhost", token, fetch: socketFetch(endpoint) };
}

/** fetch() over controlRequest: enough of it for the control client (method, headers, signal; the answer streamed). */
function socketFetch(endpoint: ControlEndpoint): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const answer = await controlRequest(endpoint, {
      method: init.method,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      signal: init.signal ?? undefined,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) if (typeof value === "string") headers.set(name, value);
    return new Response(Readable.toWeb(answer) as ReadableStream<Uint8Array>, {
      status: answer.statusCode ?? 502,
      headers,
    });
  }) as typeof fetch;
}
