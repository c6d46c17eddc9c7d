import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ControlErrorBody } from "@zero/contracts/control";
import type { Checked } from "@zero/contracts/control-requests";
import { isAllowedHost } from "@zero/contracts/host-allowlist";
import { isZeroError } from "../errors/zero-error.js";
import { allows, type Scope, scopedToken } from "./token-scopes.js";

export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  params: Record<string, string>,
  query: URLSearchParams,
) => Promise<unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  scope: Scope;
}

/**
 * The control API (the native supervisor's, and the compose control server's): loopback only (a 127.0.0.1 port or a
 * Unix socket, and the Host header), every request must carry the random token or one derived from it for a scope
 * (token-scopes.ts): a route says what it needs, reading by default for GET, everything otherwise.
 */
export class ControlApi {
  constructor(readonly token = randomBytes(24).toString("base64url")) {}

  private readonly routes: Route[] = [];
  private server?: Server;

  route(method: string, path: string, handler: Handler, scope: Scope = method === "GET" ? "read" : "all"): this {
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`);
    this.routes.push({ method, pattern, handler, scope });
    return this;
  }

  /** The token to give a program that needs `scope` (the API and Prometheus read; the dashboard's server acts). */
  tokenFor(scope: Scope): string {
    return scopedToken(this.token, scope);
  }

  /** Listens on a free 127.0.0.1 port (returned), or on a Unix socket that containers reach through a bind mount. */
  async listen(socketPath?: string): Promise<number> {
    this.server = createServer((request, response) => void this.handle(request, response));
    if (socketPath) {
      rmSync(socketPath, { force: true }); // a socket left by a killed server would make listen fail
      await new Promise<void>((resolve) => this.server!.listen(socketPath, resolve));
      // Connecting needs write permission: the containers' own user is not ours. Who may reach the socket at all is
      // decided by the private folder above it (docs/decisions/0018-compose-control-server-on-a-mounted-socket.md).
      chmodSync(socketPath, 0o666);
      return 0;
    }
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    // Only the CLI, the API and the dashboard's proxy call this, as 127.0.0.1 or localhost: a rebound name is refused.
    if (!isAllowedHost(request.headers.host))
      return sendJson(response, 403, { error: "Host not allowed" } satisfies ControlErrorBody);
    const scope = this.scopeOf(request);
    if (!scope) return sendJson(response, 401, { error: "missing or wrong token" } satisfies ControlErrorBody);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match || route.method !== request.method) continue;
      if (!allows(scope, route.scope))
        return sendJson(response, 403, {
          error: `this token may ${scope === "read" ? "only read" : "not do that"}: ${route.method} ${url.pathname} needs the ${route.scope === "all" ? "CLI's" : `"${route.scope}"`} token`,
        } satisfies ControlErrorBody);
      try {
        const body = await route.handler(request, response, { ...match.groups }, url.searchParams);
        if (!response.headersSent) sendJson(response, 200, body);
      } catch (error) {
        // A refusal with a stable code (a port another program took) is the stack's state, not a fault of the server.
        const status = (error as { status?: number }).status ?? (isZeroError(error) ? 409 : 500);
        if (!response.headersSent)
          sendJson(response, status, {
            error: (error as Error).message,
            code: zeroCode(error),
          } satisfies ControlErrorBody);
      }
      return;
    }
    sendJson(response, 404, { error: "no such endpoint" } satisfies ControlErrorBody);
  }

  /** The scope of the request's token, or undefined when it carries none of this API's tokens. */
  private scopeOf(request: IncomingMessage): Scope | undefined {
    const given = Buffer.from(request.headers.authorization ?? "");
    const scopes: Scope[] = ["all", "act", "read"];
    return scopes.find((scope) => {
      const expected = Buffer.from(`Bearer ${this.tokenFor(scope)}`);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}

/** A request that breaks the contract (packages/contracts/src/control): answered 400 with the reason. */
export class BadRequest extends Error {
  readonly status = 400;
}

/** The value of a request reader (@zero/contracts/control-requests), or a 400 with its reason. */
export function valid<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new BadRequest(checked.error);
  return checked.value;
}

export function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** A ZeroError's code (ZERO_PORT_IN_USE...), sent with the refusal so the CLI names it as its own checks do. */
function zeroCode(error: unknown): string | undefined {
  return isZeroError(error) ? error.code : undefined;
}
