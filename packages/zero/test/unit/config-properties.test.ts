import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { isZeroError } from "../../src/errors/zero-error.js";
import { repoRoot } from "../helpers/cli.js";
import { readFileSync } from "node:fs";

// Property: whatever a developer writes in .env or stack.yaml, zero either accepts it or
// answers with a typed ZeroError (code, what, why, next) - never an uncaught exception.

const realStack = readFileSync(join(repoRoot, "stack.yaml"), "utf8");
const names = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT", "LOG_LEVEL", "AUTO_SEED", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "POSTGRES_DB", "CORS_ORIGIN", "ZERO_RUNTIME", "OTHER"];
const value = fc.oneof(
  fc.integer({ min: -10, max: 70_000 }).map(String),
  fc.constantFrom("DEBUG", "INFO", "loud", "true", "false", "yes", "", "30O1", "http://127.0.0.1:3000", "not a url", "native", "swarm"),
  fc.string({ maxLength: 12 }).filter((s) => !/[\n\r]/.test(s)),
);
const envLine = fc.oneof(
  fc.tuple(fc.constantFrom(...names), value).map(([n, v]) => `${n}=${v}`),
  fc.constantFrom("# comment", "", "=novalue", "export API_PORT=3005", "JUST_A_WORD", 'QUOTED="a b"'),
  fc.string({ maxLength: 20 }).filter((s) => !/[\n\r]/.test(s)),
);

// One folder for every run, its files rewritten each time (a folder per run left thousands behind in /tmp).
const dir = mkdtempSync(join(tmpdir(), "zero-prop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function projectDir(stackYaml: string, envText: string) {
  writeFileSync(join(dir, "stack.yaml"), stackYaml);
  writeFileSync(join(dir, ".env"), envText);
  return dir;
}

function loadsOrZeroError(dir: string, profile?: string) {
  try {
    loadProject({ cwd: dir, env: {}, profile });
    return "ok";
  } catch (error) {
    if (!isZeroError(error)) throw error;
    expect(error.why.length).toBeGreaterThan(0);
    expect(error.next.length).toBeGreaterThan(0);
    return error.code;
  }
}

describe("configuration parsing, property-based", () => {
  it("any .env gives a valid configuration or a ZERO_CONFIG_INVALID error", () => {
    fc.assert(
      fc.property(fc.array(envLine, { maxLength: 12 }), (lines) => {
        const outcome = loadsOrZeroError(projectDir(realStack, lines.join("\n")));
        expect(["ok", "ZERO_CONFIG_INVALID"]).toContain(outcome);
      }),
      { numRuns: 1000 },
    );
  }, 120_000); // CPU-bound: 1000 full project loads, ~35 s on a loaded 2-core machine

  it("a .env name that is also an Object.prototype member (valueOf, constructor) is just an unknown variable (found by the property above)", () => {
    for (const line of ["valueOf", "valueOf=1", "constructor=x", "__proto__=y", "toString="]) {
      expect(loadsOrZeroError(projectDir(realStack, `POSTGRES_PASSWORD=pw-1234\nREDIS_PASSWORD=pw-5678\n${line}`)), line).toBe("ok");
    }
  });

  it("any stack definition gives a stack or a typed error", () => {
    const serviceName = fc.constantFrom("a", "b", "c", "d", "Bad Name");
    const service = fc.record(
      {
        kind: fc.constantFrom("node", "postgres", "redis", "docker"),
        profiles: fc.constantFrom(["full"], ["other"], [], "full"),
        command: fc.constantFrom(["node", "x.js"], [], undefined),
        ports: fc.dictionary(fc.constantFrom("main", "http", "debug"), fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.constantFrom("${P:-3000}", "${Q}", "x"))),
        depends_on: fc.dictionary(serviceName, fc.constantFrom("started", "healthy", "done")),
        healthcheck: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom({ type: "http", port: "http" }, { type: "tcp", port: "nope" }, { type: "postgres" }, { type: "ftp" }),
        ),
        restart: fc.constantFrom("no", "always", "sometimes"),
      },
      { requiredKeys: ["kind"] },
    );
    const stack = fc.record({
      name: fc.constantFrom("demo", "Bad Name"),
      profiles: fc.constantFrom({ full: { description: "all" } }, { full: { description: "all" }, other: { description: "o", isolated: true } }, {}),
      services: fc.dictionary(serviceName, service, { maxKeys: 4 }),
    });
    fc.assert(
      fc.property(stack, fc.constantFrom("full", "other", "missing"), (definition, profile) => {
        const outcome = loadsOrZeroError(projectDir(stringify(definition), "P=1\n"), profile);
        expect(["ok", "ZERO_STACK_INVALID", "ZERO_CONFIG_INVALID", "ZERO_PROFILE_UNKNOWN"]).toContain(outcome);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
