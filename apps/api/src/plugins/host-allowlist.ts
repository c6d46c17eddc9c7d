import type { FastifyInstance } from "fastify";
import { isAllowedHost } from "@zero/contracts";

// DNS rebinding: a page on evil.example whose name re-resolves to 127.0.0.1 reaches the API with its own
// name in Host. Only loopback names and the configured local domains (ALLOWED_HOSTS) get an answer.
export function registerHostAllowlist(app: FastifyInstance, allowedHosts: readonly string[]): void {
  app.addHook("onRequest", async (request, reply) => {
    if (isAllowedHost(request.headers.host, allowedHosts)) return;
    return reply
      .code(403)
      .send({ error: "Host not allowed: add it to ALLOWED_HOSTS in .env if it is a local domain of yours" });
  });
}
