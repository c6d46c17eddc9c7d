// Names shared by the page and the dev server's control proxy (server/control-proxy.ts).

/** Where the page reaches the supervisor's control API, same-origin (ADR 14). */
export const CONTROL_PATH = "/__zero";
/** The page reads its per-stack token from this meta tag of index.html, which no other origin can read. */
export const TOKEN_META = "zero-control-token";
/** The header the page sends the token in: a custom header, so a cross-origin fetch needs a preflight that is never granted. */
export const TOKEN_HEADER = "x-zero-token";
