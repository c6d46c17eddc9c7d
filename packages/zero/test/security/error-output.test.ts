import { describe, expect, it } from "vitest";
import { createEventPrinter, printError } from "../../src/cli/output.js";
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

describe("threat: a service's output attacks the terminal through a start-up event", () => {
  it("promise: a failure's reason, a restart's reason, a wait's reason and a note quoting a service show its escape sequences as text", () => {
    const printed: string[] = [];
    const print = createEventPrinter({
      line: (text = "") => printed.push(text),
      error: (text: string) => printed.push(text),
    });
    const attack = "title \u001b]0;owned\u0007 clear \u001b[2J \u202e bidi";
    print({ type: "failed", service: "app", phase: "start", reason: attack });
    print({ type: "restarting", service: "app", delayMs: 100, reason: attack });
    print({ type: "waiting", service: "app", on: "db", condition: "healthy", reason: attack, attempt: 2 });
    print({ type: "note", message: `postgres start-up step said:\n${attack}` });
    expect(printed).toHaveLength(4);
    for (const line of printed) expect(line).toContain("title \\x1b]0;owned\\x07 clear \\x1b[2J \\u202e bidi");
    // Colours may add their own CSI codes; the attack's title, bell, clear and bidi override must not be there.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bytes that must not reach a terminal
    expect(printed.join("\n")).not.toMatch(/\u001b\]0;|\u0007|\u001b\[2J|\u202e/);
  });
});
