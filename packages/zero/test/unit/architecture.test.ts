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

describe("no import cycles (madge --circular)", () => {
  it("finds none in zero, the API or the dashboard", async () => {
    const { execa } = await import("execa");
    const { repoRoot } = await import("../helpers/cli.js");
    const folders = ["packages/zero/src", "packages/contracts/src", "apps/api/src", "apps/web/src"];
    const result = await execa(join(repoRoot, "node_modules", ".bin", "madge"), ["--circular", "--extensions", "ts,tsx", "--no-spinner", "--no-color", ...folders], {
      cwd: repoRoot,
      reject: false,
      all: true,
    });
    expect(result.all).toContain("No circular dependency found");
    expect(result.exitCode, result.all).toBe(0);
  }, 60_000);
});
