import { describe, expect, it } from "vitest";
import { refusal } from "../server/control-guard";

// The proxy's rules as a pure function; the real-browser proof that another origin cannot pass them is
// packages/zero/test/e2e/dashboard.test.ts.
const token = "t".repeat(32);
const ok = {
  host: "127.0.0.1:3000",
  origin: "http://127.0.0.1:3000",
  "sec-fetch-site": "same-origin",
  "x-zero-token": token,
};
const ask = (headers: Record<string, string | undefined>, method = "POST", path = "/v1/services/api/restart") =>
  refusal({ method, path, headers }, token, [".dev.test"]);

describe("control proxy guard", () => {
  it("lets the dashboard's own page through", () => {
    expect(ask(ok)).toBeUndefined();
    expect(ask({ ...ok, origin: undefined, "sec-fetch-site": undefined }, "GET", "/v1/status")).toBeUndefined(); // curl with the token
    expect(ask({ ...ok, host: "app.dev.test:3000", origin: "http://app.dev.test:3000" })).toBeUndefined();
    // Through the local HTTPS proxy (https=1): Caddy passes Host unchanged, the page's origin is https.
    expect(ask({ ...ok, host: "app.localhost:8443", origin: "https://app.localhost:8443" })).toBeUndefined();
  });

  it("refuses a foreign Host (DNS rebinding), another origin or port, a cross-site fetch, a missing or wrong token", () => {
    expect(ask({ ...ok, host: "evil.example:3000", origin: "http://evil.example:3000" })?.status).toBe(403);
    expect(ask({ ...ok, origin: "http://127.0.0.1:4444" })?.status).toBe(403);
    expect(ask({ ...ok, host: "app.localhost:8443", origin: "https://app.localhost:4444" })?.status).toBe(403);
    expect(ask({ ...ok, host: "app.localhost:8443", origin: "https://evil.localhost:8443" })?.status).toBe(403);
    expect(ask({ ...ok, origin: "null" })?.status).toBe(403);
    expect(ask({ ...ok, "sec-fetch-site": "same-site" })?.status).toBe(403);
    expect(ask({ ...ok, "sec-fetch-site": "cross-site" })?.status).toBe(403);
    expect(ask({ ...ok, "x-zero-token": undefined })?.status).toBe(401);
    expect(ask({ ...ok, "x-zero-token": "x".repeat(32) })?.status).toBe(401);
  });

  it("passes only the dashboard's endpoints, never down", () => {
    expect(ask(ok, "POST", "/v1/down")?.status).toBe(404);
    expect(ask(ok, "GET", "/v1/services/api/restart")?.status).toBe(404);
    expect(ask(ok, "POST", "/v1/services/../down/stop")?.status).toBe(404);
    expect(ask(ok, "GET", "/v1/logs")).toBeUndefined();
    expect(ask(ok, "GET", "/v1/traces")).toBeUndefined();
    expect(ask(ok, "GET", "/v1/stacks")).toBeUndefined();
    expect(ask(ok, "POST", "/v1/stacks")?.status).toBe(404);
    expect(ask(ok, "GET", `/v1/traces/${"0af7".repeat(8)}`)).toBeUndefined();
    // Only the API's exporter posts spans, straight to the control API: never through the page.
    expect(ask(ok, "POST", "/v1/traces")?.status).toBe(404);
    expect(ask(ok, "GET", "/v1/traces/../status")?.status).toBe(404);
  });
});
