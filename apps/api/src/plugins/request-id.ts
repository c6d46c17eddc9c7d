import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

// Honours a caller's x-request-id (so a request can be followed across services) when it is short and plain;
// anything else gets a fresh UUID so a header cannot inject text into the logs. Used as Fastify's genReqId.
export function readRequestId(request: IncomingMessage): string {
  const header = request.headers["x-request-id"];
  return typeof header === "string" && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

// Sends the request id back so a client (or the dashboard) can quote it when reporting a problem.
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
}
