import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { isAllowedHost } from "../../../packages/contracts/src/host-allowlist";
import { TOKEN_HEADER } from "../src/lib/control-path";

/** The control API paths the dashboard may reach through its proxy (never /v1/down). */
const ALLOWED: Array<[method: string, path: RegExp]> = [
  ["GET", /^\/v1\/status$/],
  ["GET", /^\/v1\/logs$/],
  ["GET", /^\/v1\/config$/],
  ["GET", /^\/v1\/stacks$/],
  ["GET", /^\/v1\/traces$/],
  ["GET", /^\/v1\/traces\/[0-9a-f]{32}$/],
  ["POST", /^\/v1\/services\/[a-z0-9][a-z0-9-]*\/(restart|stop|start)$/],
];

/**
 * Why a request to the control proxy is refused, or undefined when it may pass. A page on another origin (another
 * port counts) cannot pass: its Host-derived origin differs from its Origin, Chromium marks it cross-site or
 * same-site in Sec-Fetch-Site, and it cannot read the token, which only the dashboard's own HTML carries.
 */
export function refusal(
  request: { method?: string; path: string; headers: IncomingHttpHeaders },
  token: string,
  allowedHosts: readonly string[],
): { status: number; error: string } | undefined {
  const { headers } = request;
  if (!isAllowedHost(headers.host, allowedHosts)) return { status: 403, error: "Host not allowed" };
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin")
    return { status: 403, error: `cross-origin request refused (Sec-Fetch-Site: ${site})` };
  // https: the page came through the local HTTPS proxy (make dev https=1), which passes the Host header unchanged.
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${headers.host}` && origin !== `https://${headers.host}`)
    return { status: 403, error: "cross-origin request refused (Origin)" };
  if (!sameSecret(headers[TOKEN_HEADER], token)) return { status: 401, error: `missing or wrong ${TOKEN_HEADER}` };
  if (!ALLOWED.some(([method, path]) => method === request.method && path.test(request.path)))
    return { status: 404, error: "no such endpoint" };
  return undefined;
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
