import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const biome = join(repoRoot, "node_modules", ".bin", "biome");
// Probes live inside the repository (Biome fails on paths outside its root) for the duration of one test only.
const scratch = mkdtempSync(join(repoRoot, "packages", "zero", "test", "lint-probe-"));

/** Runs Biome with the repository's biome.json on a file written for the test. */
function check(command: "lint" | "format", name: string, text: string) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return execa(biome, [command, file], { cwd: repoRoot, reject: false, all: true });
}

describe("lint and format check (make lint, Biome)", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("finds nothing in the repository", async () => {
    // What `make lint` runs (not make itself: its deps step could reinstall node_modules under the running tests).
    const result = await execa(biome, ["check", "."], { cwd: repoRoot, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
  });

  it("refuses a component module that also exports a helper (React Fast Refresh would reload the page)", async () => {
    const result = await check(
      "lint",
      "Mixed.tsx",
      'export function Mixed() {\n  return <p>{title()}</p>;\n}\n\nexport function title(): string {\n  return "x";\n}\n',
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain("useComponentExportOnlyModules");
  });

  it("refuses code that is not formatted the repository's way", async () => {
    const ugly = await check("format", "ugly.ts", "export const  answer = {a:1}\n");
    expect(ugly.exitCode).not.toBe(0);
    const tidy = await check("format", "tidy.ts", "export const answer = { a: 1 };\n");
    expect(tidy.exitCode, tidy.all).toBe(0);
  });
});
