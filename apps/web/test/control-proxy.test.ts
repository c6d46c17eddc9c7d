import { describe, expect, it } from "vitest";
import { controlProxy, pageToken } from "../server/control-proxy";

/** The meta tag a dev server started with `env` puts in index.html: the page's token. */
function tokenInPage(env: NodeJS.ProcessEnv): string {
  const transform = controlProxy(env).transformIndexHtml as unknown as () => Array<{ attrs: { content: string } }>;
  return transform()[0]!.attrs.content;
}

const supervisor = { ZERO_CONTROL_URL: "http://127.0.0.1:40000", ZERO_CONTROL_TOKEN: "s".repeat(43) };

describe("the page token", () => {
  it("survives a restart of the dev server (Restart all restarts it under an open page)", () => {
    expect(tokenInPage(supervisor)).toBe(tokenInPage(supervisor));
    expect(tokenInPage(supervisor)).toBe(pageToken(supervisor.ZERO_CONTROL_TOKEN));
  });

  it("is not the supervisor's token, and changes with it", () => {
    const token = tokenInPage(supervisor);
    expect(token).not.toContain(supervisor.ZERO_CONTROL_TOKEN);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(tokenInPage({ ...supervisor, ZERO_CONTROL_TOKEN: "t".repeat(43) })).not.toBe(token);
  });

  it("is random without a supervisor", () => {
    expect(tokenInPage({})).not.toBe(tokenInPage({}));
  });
});
