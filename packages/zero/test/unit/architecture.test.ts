import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const cli = join(import.meta.dirname, "..", "..", "src", "cli");

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f));
}

describe("the CLI is a thin shell over the runtimes", () => {
  it.each(sources(cli))("%s imports no runtime's internals and names no runtime", (file) => {
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/from "[./]*runtimes\/(native|compose|kubernetes)\//);
    expect(text).not.toMatch(/"(native|compose|kubernetes)"/);
  });
});
