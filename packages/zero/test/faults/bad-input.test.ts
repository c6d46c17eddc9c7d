import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { isZeroError } from "../../src/errors/zero-error.js";
import { repoRoot, runZero } from "../helpers/cli.js";

// Fault: bad input in .env and stack.yaml. Real CLI processes on throwaway project folders (no stack is started).

const fixtureStack = new URL("../fixtures/lifecycle/stack.yaml", import.meta.url).pathname;
const dirs: string[] = [];

function project(envText: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "zero-badinput-"));
  dirs.push(dir);
  copyFileSync(fixtureStack, join(dir, "stack.yaml"));
  writeFileSync(join(dir, ".env"), envText);
  return dir;
}

const zero = (dir: string, ...args: string[]) => runZero(args, { cwd: dir, env: { ZERO_HOME: join(dir, ".zero") } });
const base = "POSTGRES_PASSWORD=pw1\nREDIS_PASSWORD=pw2\nPOSTGRES_PORT=15432\nREDIS_PORT=16379\nAPP_PORT=13000\n";

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("faults: bad .env and stack.yaml input", () => {
  it("guarantee: a key set twice in .env is reported with the file and line of both", async () => {
    const result = await zero(project(`${base}# again\nAPP_PORT=13001\n`), "config");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain(".env line 7 sets APP_PORT again (first set on .env line 5); the last one wins");
  });

  it("guarantee: a line of binary garbage in .env is reported by line, never echoed", async () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x41, 0x3d, 0x07, 0x80]);
    const result = await zero(project(Buffer.concat([Buffer.from(base), garbage, Buffer.from("\n")])), "config");
    expect(result.all).toContain(".env line 6 holds binary or control characters; it was ignored");
    expect(result.all).not.toContain("\u0007");
  });

  it("guarantee: a misspelt variable gets 'did you mean' the variable it resembles", async () => {
    const result = await zero(project(`${base}API_PROT=53009\n`), "config");
    expect(result.all).toContain(".env line 6: API_PROT is not used by stack.yaml; did you mean API_PORT?");
  });

  it("guarantee: an invalid 1 MB value is never echoed whole (the error stays under 4 kB)", async () => {
    const result = await zero(project(`${base}LOG_LEVEL=${"x".repeat(1_000_000)}\n`), "config");
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("ZERO_CONFIG_INVALID");
    expect(result.all).toContain("(1000000 characters)");
    expect(result.all!.length).toBeLessThan(4_000);
  });

  it("guarantee: a 1 MB unknown variable keeps `make config` output bounded (under 8 kB)", async () => {
    const result = await zero(project(`${base}SOMETHING_ELSE=${"y".repeat(1_000_000)}\n`), "config");
    expect(result.exitCode, result.all!.slice(0, 500)).toBe(0);
    expect(result.all).toContain("SOMETHING_ELSE");
    expect(result.all!.length).toBeLessThan(8_000);
  });

  it("guarantee: make doctor does not flag a fixed .env because of the comment copied from .env.example", async () => {
    const dir = project("");
    copyFileSync(join(repoRoot, ".env.example"), join(dir, ".env.example"));
    copyFileSync(join(repoRoot, ".env.example"), join(dir, ".env"));
    copyFileSync(join(repoRoot, "package.json"), join(dir, "package.json"));
    expect((await zero(dir, "doctor")).all).toMatch(/✖ \.env\s+still has CHANGE_ME placeholders/); // a real placeholder
    expect((await zero(dir, "secrets", "generate")).exitCode).toBe(0);
    const after = await zero(dir, "doctor");
    expect(after.all).toMatch(/✔ \.env\s+present, no placeholders/);
  });

  it("guarantee: any bytes in .env load or give a typed error, with every message bounded (fast-check)", () => {
    const line = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
      fc
        .tuple(fc.constantFrom("APP_PORT", "API_PROT", "LOG_LEVEL", "X"), fc.string({ maxLength: 3000 }))
        .map(([n, v]) => `${n}=${v}`),
      fc.constantFrom("APP_PORT=1", "APP_PORT=2", "# CHANGE_ME", "=", "export"),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) => {
        const dir = project(base + lines.join("\n"));
        try {
          const loaded = loadProject({ cwd: dir, env: {} });
          for (const note of loaded.notes) expect(note.length).toBeLessThan(400);
        } catch (error) {
          if (!isZeroError(error)) throw error;
          expect(["ZERO_CONFIG_INVALID", "ZERO_STACK_INVALID"]).toContain(error.code); // e.g. APP_PORT= leaves a port empty
          expect([error.message, ...error.details].join("\n").length).toBeLessThan(4_000);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("guarantee: a truncated or corrupted stack.yaml gives a typed error, never a crash (fast-check)", () => {
    const real = readFileSync(fixtureStack, "utf8");
    const corrupt = fc.oneof(
      fc.nat({ max: real.length }).map((at) => real.slice(0, at)),
      fc
        .tuple(fc.nat({ max: real.length }), fc.string({ maxLength: 8 }))
        .map(([at, junk]) => real.slice(0, at) + junk + real.slice(at + 1)),
    );
    fc.assert(
      fc.property(corrupt, (text) => {
        const dir = project(base);
        writeFileSync(join(dir, "stack.yaml"), text);
        try {
          loadProject({ cwd: dir, env: {} });
        } catch (error) {
          if (!isZeroError(error)) throw error;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("faults: a missing or malformed kubeconfig", () => {
  const dir = project(base);
  const kube = (kubeconfig: string) =>
    runZero(["status", "--runtime", "kubernetes"], {
      cwd: dir,
      env: { ZERO_HOME: join(dir, ".zero"), KUBECONFIG: kubeconfig },
    });

  it("guarantee: KUBECONFIG naming a missing file is ZERO_K8S_CONFIG_INVALID naming the file (not an internal error)", async () => {
    const missing = join(dir, "no-such-kubeconfig");
    const result = await kube(missing);
    expect(result.exitCode, result.all).toBe(4);
    expect(result.all).toContain("ZERO_K8S_CONFIG_INVALID");
    expect(result.all).toContain(`${missing} cannot be read (it does not exist)`);
  });

  it("guarantee: a malformed kubeconfig is ZERO_K8S_CONFIG_INVALID naming the file and the line the YAML parser stopped at", async () => {
    const file = join(dir, "kubeconfig");
    writeFileSync(
      file,
      "apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: a\n   oops: [\n",
    );
    const result = await kube(file);
    expect(result.exitCode, result.all).toBe(4);
    expect(result.all).toContain("ZERO_K8S_CONFIG_INVALID");
    expect(result.all).toMatch(new RegExp(`${file} is not valid YAML \\(line 5, column 9\\)`));
    writeFileSync(file, "apiVersion: v1\nclusters:\n- cluster: { server: https://127.0.0.1:6443 }\n");
    const notKube = await kube(file);
    expect(notKube.exitCode, notKube.all).toBe(4);
    expect(notKube.all).toContain(`${file} is not a valid kubeconfig: clusters[0].name is missing`);
  });
});
