import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ControlErrorBody } from "@zero/contracts/control";
import type { Checked } from "@zero/contracts/control-requests";
import { isAllowedHost } from "@zero/contracts/host-allowlist";

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
}

/** The supervisor's HTTP API: loopback only (address and Host), every request must carry the random token from the state file. */
export class ControlApi {
  readonly token = randomBytes(24).toString("base64url");
  private readonly routes: Route[] = [];
  private server?: Server;

  route(method: string, path: string, handler: Handler): this {
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`);
    this.routes.push({ method, pattern, handler });
    return this;
  }

  async listen(): Promise<number> {
    this.server = createServer((request, response) => void this.handle(request, response));
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
    // Only the CLI, the API and the dashboard's proxy call this, all as 127.0.0.1: a rebound name is refused.
    if (!isAllowedHost(request.headers.host))
      return sendJson(response, 403, { error: "Host not allowed" } satisfies ControlErrorBody);
    if (!this.authorised(request))
      return sendJson(response, 401, { error: "missing or wrong token" } satisfies ControlErrorBody);
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match || route.method !== request.method) continue;
      try {
        const body = await route.handler(request, response, { ...match.groups }, url.searchParams);
        if (!response.headersSent) sendJson(response, 200, body);
      } catch (error) {
        const status = error instanceof BadRequest ? 400 : 500;
        if (!response.headersSent)
          sendJson(response, status, { error: (error as Error).message } satisfies ControlErrorBody);
      }
      return;
    }
    sendJson(response, 404, { error: "no such endpoint" } satisfies ControlErrorBody);
  }

  private authorised(request: IncomingMessage): boolean {
    const given = Buffer.from(request.headers.authorization ?? "");
    const expected = Buffer.from(`Bearer ${this.token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** A request that breaks the contract (packages/contracts/src/control): answered 400 with the reason. */
export class BadRequest extends Error {}

/** The value of a request reader (@zero/contracts/control-requests), or a 400 with its reason. */
export function valid<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new BadRequest(checked.error);
  return checked.value;
}

export function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
