import { createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";
// Relative, not @zero/contracts: see vite.config.ts.
import {
  type ControlEndpoint,
  controlEndpoint,
  controlRequest,
} from "../../../packages/contracts/src/control-endpoint";
import { parseAllowedHosts } from "../../../packages/contracts/src/host-allowlist";
import { CONTROL_PATH, TOKEN_META } from "../src/lib/control-path";
import { refusal } from "./control-guard";

/**
 * The dashboard's way to the orchestrator: a same-origin path of the Vite dev server, relayed to the supervisor's
 * control API (the native supervisor's, or the compose control server's through its mounted socket) with the
 * token added here (the browser never sees it). It answers whatever state the API is in. Guarded by
 * control-guard.ts; without a control API (Vite started by hand) it says so with 503.
 */
export function controlProxy(env: NodeJS.ProcessEnv = process.env): Plugin {
  const allowedHosts = parseAllowedHosts(env.ALLOWED_HOSTS);
  const control = controlEndpoint(env);
  const token = control ? pageToken(control.token()) : randomBytes(24).toString("base64url");
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

function relay(request: IncomingMessage, response: ServerResponse, url: URL, control: ControlEndpoint) {
  const lastEventId = request.headers["last-event-id"];
  const upstream = new AbortController();
  response.once("close", () => upstream.abort());
  response.socket?.setNoDelay(true); // an event is a few hundred bytes: send it now, not when a packet fills
  controlRequest(control, {
    method: request.method,
    path: `${url.pathname}${url.search}`,
    headers: typeof lastEventId === "string" ? { "last-event-id": lastEventId } : {},
    signal: upstream.signal,
  }).then(
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, {
        "content-type": answer.headers["content-type"] ?? "application/json",
        "cache-control": "no-cache",
      });
      answer.on("error", () => response.destroy());
      answer.pipe(response); // pipe: a slow tab slows the control API's stream, whose bounded queue then cuts it off
    },
    (error: Error) => {
      if (response.headersSent) return response.destroy();
      sendJson(response, 502, { error: `the control API does not answer: ${error.message}`, reason: "unreachable" });
    },
  );
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
