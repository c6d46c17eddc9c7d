import { createHmac, randomBytes } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { Plugin } from "vite";
// Relative, not @zero/contracts: see vite.config.ts.
import { parseAllowedHosts } from "../../../packages/contracts/src/host-allowlist";
import { CONTROL_PATH, TOKEN_META } from "../src/lib/control-path";
import { refusal } from "./control-guard";

/**
 * The dashboard's way to the orchestrator: a same-origin path of the Vite dev server, relayed to the supervisor's
 * control API with the supervisor token added here (the browser never sees it). It answers whatever state the API
 * is in. Guarded by control-guard.ts; without a supervisor (compose, or Vite started by hand) it says so with 503.
 */
export function controlProxy(env: NodeJS.ProcessEnv = process.env): Plugin {
  const allowedHosts = parseAllowedHosts(env.ALLOWED_HOSTS);
  const control =
    env.ZERO_CONTROL_URL && env.ZERO_CONTROL_TOKEN
      ? { url: new URL(env.ZERO_CONTROL_URL), token: env.ZERO_CONTROL_TOKEN }
      : undefined;
  const token = control ? pageToken(control.token) : randomBytes(24).toString("base64url");
  return {
    name: "zero-control-proxy",
    apply: "serve",
    transformIndexHtml: () => [{ tag: "meta", attrs: { name: TOKEN_META, content: token }, injectTo: "head" }],
    configureServer(server) {
      server.middlewares.use(CONTROL_PATH, (request: IncomingMessage, response: ServerResponse) => {
        const url = new URL(request.url ?? "/", "http://localhost");
        const refused = refusal(
          { method: request.method, path: url.pathname, headers: request.headers },
          token,
          allowedHosts,
        );
        if (refused) return sendJson(response, refused.status, { error: refused.error });
        if (!control) return sendJson(response, 503, { error: "no supervisor", reason: "no-supervisor" });
        relay(request, response, url, control);
      });
    },
  };
}

function relay(request: IncomingMessage, response: ServerResponse, url: URL, control: { url: URL; token: string }) {
  const lastEventId = request.headers["last-event-id"];
  const upstream = httpRequest(
    {
      host: control.url.hostname,
      port: control.url.port,
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: {
        authorization: `Bearer ${control.token}`,
        ...(typeof lastEventId === "string" ? { "last-event-id": lastEventId } : {}),
      },
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, {
        "content-type": answer.headers["content-type"] ?? "application/json",
        "cache-control": "no-cache",
      });
      answer.pipe(response); // pipe: a slow tab slows the supervisor's stream, whose bounded queue then cuts it off
    },
  );
  upstream.on("error", (error) => {
    if (!response.headersSent)
      sendJson(response, 502, { error: `the supervisor does not answer: ${error.message}`, reason: "unreachable" });
    else response.destroy();
  });
  upstream.once("socket", (socket) => socket.setNoDelay(true));
  response.socket?.setNoDelay(true); // an event is a few hundred bytes: send it now, not when a packet fills
  response.once("close", () => upstream.destroy());
  upstream.end();
}

/**
 * The page's token, derived from the supervisor's rather than drawn per process: an open page keeps working when
 * this dev server restarts (Restart all restarts it), and the page's token reveals nothing of the supervisor's.
 */
export function pageToken(supervisorToken: string): string {
  return createHmac("sha256", supervisorToken).update("zero dashboard page token").digest("base64url");
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}
