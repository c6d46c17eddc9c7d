import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

// scripts/install-deps.mjs, which make runs before anything of zero is installed: two installs at once in one
// checkout (two `make dev` in a fresh clone, or two stacks with traces=1) wait for each other instead of running two
// `npm ci` into one node_modules. Real npm, a one-package lockfile in a copy of the layout (the traces install).
describe("the npm installs that make runs, two at once in one checkout", () => {
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "zero-install-lock-"));
    mkdirSync(join(root, "scripts"));
    cpSync(join(repoRoot, "scripts", "install-deps.mjs"), join(root, "scripts", "install-deps.mjs"));
    const tracing = join(root, "apps", "api", "tracing");
    mkdirSync(tracing, { recursive: true });
    writeFileSync(join(tracing, "package.json"), JSON.stringify({ name: "tracing-copy", private: true }));
    await execa("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund", "--loglevel=error", "ms@2.1.3"], {
      cwd: tracing,
    });
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("installs once: the second waits for the first, then finds the packages there", async () => {
    const install = () =>
      execa("node", ["scripts/install-deps.mjs", "traces"], { cwd: root, all: true, reject: false });
    const [first, second] = await Promise.all([install(), install()]);
    expect(first.exitCode, first.all).toBe(0);
    expect(second.exitCode, second.all).toBe(0);
    const output = `${first.all}\n${second.all}`;
    expect(output.match(/Installing the tracing packages/g), output).toHaveLength(1);
    expect(output).toMatch(/Another install of the npm dependencies runs in this checkout \(pid \d+\); waiting/);
    expect(existsSync(join(root, "apps", "api", "tracing", "node_modules", "ms", "package.json"))).toBe(true);
    expect(existsSync(join(root, ".zero-install.lock"))).toBe(false);
  }, 120_000);
});
