import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const secretlint = join(repoRoot, "node_modules", ".bin", "secretlint");

describe("secret scan (secretlint, also the pre-commit hook)", () => {
  it("finds no credentials in any file git tracks", async () => {
    const { stdout } = await execa("git", ["ls-files"], { cwd: repoRoot });
    const files = stdout.split("\n").filter(Boolean);
    const result = await execa(secretlint, ["--maskSecrets", ...files], { cwd: repoRoot, reject: false });
    expect(result.exitCode, result.stdout).toBe(0);
  }, 120_000); // ~4 s of CPU on a quiet machine; past 30 s in CI beside another test file on a loaded machine

  it("would catch a committed credential (the scanner really scans)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-leak-"));
    // Assembled at run time so this test file itself is not a finding.
    const key = ["AKIA", "Z3MHQ4PLKWX7TNUD"].join("");
    writeFileSync(join(dir, "config.js"), `const aws = { accessKeyId: "${key}", secretAccessKey: "${"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzKq8Tn2pLm"}" };\n`);
    const result = await execa(secretlint, ["--maskSecrets", "--secretlintrc", join(repoRoot, ".secretlintrc.json"), join(dir, "config.js")], { reject: false });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/AWS/i);
  });
});
