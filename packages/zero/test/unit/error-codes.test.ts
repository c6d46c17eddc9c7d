import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../../src/errors/codes.js";
import { ZeroError } from "../../src/errors/zero-error.js";
import { repoRoot } from "../helpers/cli.js";

describe("error registry", () => {
  const doc = readFileSync(join(repoRoot, "docs", "troubleshooting.md"), "utf8");

  it.each(Object.keys(errorCodes))("%s has a troubleshooting section and a row with its exit code", (code) => {
    expect(doc).toContain(`\n## ${code.toLowerCase()}\n`);
    const exitCode = errorCodes[code as keyof typeof errorCodes].exitCode;
    expect(doc).toContain(`| \`${code}\` | ${exitCode} |`);
  });

  it("gives every error a docs link to its section, a why, a next step and a non-zero exit code", () => {
    for (const code of Object.keys(errorCodes) as (keyof typeof errorCodes)[]) {
      const error = new ZeroError(code, "what happened");
      expect(error.docs).toBe(`docs/troubleshooting.md#${code.toLowerCase()}`);
      expect(error.why.length).toBeGreaterThan(10);
      expect(error.next.length).toBeGreaterThan(10);
      expect(error.exitCode).toBeGreaterThan(0);
    }
  });
});
