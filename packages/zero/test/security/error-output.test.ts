import { describe, expect, it } from "vitest";
import { printError } from "../../src/cli/output.js";
import { ZeroError } from "../../src/errors/zero-error.js";

describe("threat: a failing service's output attacks the terminal through an error", () => {
  it("promise: the last log lines an error quotes show escape sequences and the bell as text", () => {
    const printed: string[] = [];
    const out = { line: (text = "") => printed.push(text), error: (text: string) => printed.push(text) };
    const error = new ZeroError("ZERO_SERVICE_UNHEALTHY", "app did not become healthy", {
      details: ["Last 1 log lines of app:", "  title \u001b]0;owned\u0007 clear \u001b[2J \u202e bidi"],
    });
    printError(out, error);
    const text = printed.join("\n");
    expect(text).toContain("title \\x1b]0;owned\\x07 clear \\x1b[2J \\u202e bidi");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bytes that must not reach a terminal
    expect(printed.slice(1, 3).join("\n")).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
