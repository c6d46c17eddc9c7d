import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { kindNames } from "../../src/kinds/index.js";
import { runtimeNames } from "../../src/runtimes/table.js";
import { repoRoot } from "../helpers/cli.js";

const src = join(import.meta.dirname, "..", "..", "src");
const cli = join(src, "cli");

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

describe("a kind is one file (kinds/): nothing else branches on a kind's name", () => {
  const names = kindNames.join("|");
  // What an import rule cannot see: `service.kind === "postgres"`, a map keyed by kind, a switch over kinds.
  const branches = [
    new RegExp(`kind\\s*[!=]==?\\s*"(${names})"`),
    new RegExp(`"(${names})"\\s*[!=]==?\\s*\\w*\\.?kind\\b`),
    /Record<(Service\["kind"\]|KindName),/,
    new RegExp(`case "(${names})":[^\\n]*\\n[^\\n]*kind`),
  ];
  const outside = sources(src).filter((file) => !file.startsWith(join(src, "kinds")));

  it.each(outside)("%s asks the kind for a fact instead of naming it", (file) => {
    const text = readFileSync(file, "utf8");
    for (const branch of branches) expect(text).not.toMatch(branch);
  });

  it("the check sees a branch on a kind's name", () => {
    expect('if (service.kind === "postgres") x();').toMatch(branches[0]!);
    expect("const UIDS: Partial<Record<Service[\"kind\"], number>> = {};").toMatch(branches[2]!);
  });
});

describe("a runtime is one folder: outside runtimes/, nothing branches on or lists a runtime's name", () => {
  const names = runtimeNames().join("|");
  // What an import rule cannot see: `runtime === "native"`, a default `?? "native"`, a hand-written list of names.
  const branches = [
    new RegExp(`runtime\\w*\\s*[!=]==?\\s*"(${names})"`),
    new RegExp(`"(${names})"\\s*[!=]==?\\s*[\\w.]*runtime\\b`),
    new RegExp(`\\?\\?\\s*"(${names})"`),
    new RegExp(`"(${names})",\\s*"(${names})"`),
  ];
  // Backups taken before manifests named their runtime came from native: a fact about old archives, not a default.
  const historical = join(src, "backups", "manifest.ts");
  const outside = sources(src).filter((file) => !file.startsWith(join(src, "runtimes")) && file !== historical);

  it.each(outside)("%s reads runtime names from runtimes/table.ts", (file) => {
    const text = readFileSync(file, "utf8");
    for (const branch of branches) expect(text).not.toMatch(branch);
  });

  it("the check sees a runtime's name hard-coded", () => {
    expect('const flags = project.runtime === "native" ? "" : "x";').toMatch(branches[0]!);
    expect('const runtime = options.runtime ?? "native";').toMatch(branches[2]!);
    expect('oneOf(["native", "compose", "kubernetes"], "How to run the stack")').toMatch(branches[3]!);
  });
});

describe("Docker is called in one place: docker/docker-cli.ts, the client every user is handed", () => {
  // What an import rule cannot see: a program started by name. A command as a call's first argument or an argv's first word.
  const spawns = [
    /\b(execa|execaSync|spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*["'`](docker|docker-compose)["'` ]/,
    /\[\s*["'`](docker|docker-compose)["'`]\s*,/,
  ];
  const client = join(src, "docker", "docker-cli.ts");
  const others = sources(src).filter((file) => file !== client);

  it.each(others)("%s runs no docker command itself", (file) => {
    const text = readFileSync(file, "utf8");
    for (const spawn of spawns) expect(text).not.toMatch(spawn);
  });

  it("the check sees docker started by name, and the client does start it", () => {
    expect('const child = execa("docker", ["logs", id]);').toMatch(spawns[0]!);
    expect('spawn("docker-compose", args)').toMatch(spawns[0]!);
    expect('await run(project, onEvent, ["docker", "build", "."]);').toMatch(spawns[1]!);
    expect('{ name: "docker", ok: true }').not.toMatch(spawns[0]!);
    expect(readFileSync(client, "utf8")).toMatch(spawns[0]!);
  });
});

const depcruise = join(repoRoot, "node_modules", ".bin", "depcruise");
const config = join(repoRoot, ".dependency-cruiser.cjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser with the repository's rules (what `make lint` runs) on folders under cwd. */
async function cruise(cwd: string, folders: string[]) {
  const result = await execa(depcruise, [...folders, "--config", config, "--output-type", "json"], { cwd, reject: false });
  const violations = (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  return { violations, stderr: result.stderr };
}

describe("the dependency rules (make lint: dependency-cruiser, .dependency-cruiser.cjs)", () => {
  it("find no violation in zero, the contracts, the API or the dashboard", async () => {
    const { violations, stderr } = await cruise(repoRoot, ["packages/zero/src", "packages/contracts/src", "apps/api/src", "apps/web/src"]);
    expect(stderr).toBe("");
    expect(violations).toEqual([]);
  }, 60_000);

  // One deliberate violation per rule, in a throwaway tree laid out like packages/zero/src.
  const fixture: Record<string, string> = {
    "stack/cycle-a.ts": 'import { b } from "./cycle-b.js";\nexport const a = () => b;\n',
    "stack/cycle-b.ts": 'import { a } from "./cycle-a.js";\nexport const b = () => a;\n',
    "runtimes/native/native-part.ts": "export const part = 1;\n",
    "runtimes/runtime.ts": "export const runtime = 1;\n",
    "runtimes/compose/uses-native.ts": 'import { part } from "../native/native-part.js";\nexport const x = part;\n',
    "control/uses-native.ts": 'import { part } from "../runtimes/native/native-part.js";\nexport const x = part;\n',
    "cli/uses-native.ts": 'import { part } from "../runtimes/native/native-part.js";\nexport const x = part;\n',
    "kinds/uses-runtime.ts": 'import { runtime } from "../runtimes/runtime.js";\nexport const x = runtime;\n',
    "kinds/postgres.ts": "export const postgresKind = 1;\n",
    "stack/schema.ts": "export const schema = 1;\n",
    "kinds/uses-stack.ts": 'import { schema } from "../stack/schema.js";\nexport const x = schema;\n',
    "containers/uses-postgres.ts": 'import { postgresKind } from "../kinds/postgres.js";\nexport const x = postgresKind;\n',
    "runtimes/kubernetes/cluster.ts": "export const cluster = 1;\n",
    "runtimes/kubernetes/render/uses-cluster.ts": 'import { cluster } from "../cluster.js";\nexport const x = cluster;\n',
    "runtimes/kubernetes/render/runs-a-tool.ts": 'import { execFileSync } from "node:child_process";\nexport const x = execFileSync;\n',
    "docker/docker-cli.ts": "export class DockerCli {}\n",
    "docker/fake-docker.ts": "export class FakeDocker {}\n",
    "runtimes/compose/makes-docker.ts": 'import { DockerCli } from "../../docker/docker-cli.js";\nexport const x = DockerCli;\n',
    "runtimes/compose/uses-fake.ts": 'import { FakeDocker } from "../../docker/fake-docker.js";\nexport const x = FakeDocker;\n',
  };
  const expected: [rule: string, from: string][] = [
    ["no-circular", "stack/cycle-a.ts"],
    ["runtime-imports-no-other-runtime", "runtimes/compose/uses-native.ts"],
    ["runtime-folders-only-through-the-registry", "control/uses-native.ts"],
    ["cli-imports-no-runtime", "cli/uses-native.ts"],
    ["model-imports-no-user", "kinds/uses-runtime.ts"],
    ["kinds-import-no-stack", "kinds/uses-stack.ts"],
    ["kind-files-only-through-the-registry", "containers/uses-postgres.ts"],
    ["kubernetes-render-is-pure", "runtimes/kubernetes/render/uses-cluster.ts"],
    ["kubernetes-render-is-pure", "runtimes/kubernetes/render/runs-a-tool.ts"],
    ["docker-client-is-injected", "runtimes/compose/makes-docker.ts"],
    ["fake-docker-only-in-tests", "runtimes/compose/uses-fake.ts"],
  ];

  let fired: { json: Awaited<ReturnType<typeof cruise>>; err: { exitCode?: number; all?: string } };
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), "zero-depcruise-"));
    try {
      copyFileSync(join(repoRoot, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
      for (const [path, text] of Object.entries(fixture)) {
        mkdirSync(dirname(join(root, "packages/zero/src", path)), { recursive: true });
        writeFileSync(join(root, "packages/zero/src", path), text);
      }
      const json = await cruise(root, ["packages/zero/src"]);
      // What `make lint` prints and how it exits.
      const err = await execa(depcruise, ["packages/zero/src", "--config", config, "--output-type", "err-long"], { cwd: root, reject: false, all: true });
      fired = { json, err };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it.each(expected)("%s fires on a deliberate violation (%s)", (rule, from) => {
    expect(fired.json.violations.map((v) => [v.rule.name, v.from])).toContainEqual([rule, `packages/zero/src/${from}`]);
  });

  it("fails make lint and prints each broken rule's reason", async () => {
    expect(fired.err.exitCode).not.toBe(0);
    const { createRequire } = await import("node:module");
    const rules = (createRequire(import.meta.url)(config) as { forbidden: { name: string; comment: string }[] }).forbidden;
    // err-long wraps the reason over lines.
    const printed = (fired.err.all ?? "").replace(/\s+/g, " ");
    for (const rule of rules) expect(printed).toContain(rule.comment);
  });

  it("every rule says why when it fires", async () => {
    const { createRequire } = await import("node:module");
    const rules = (createRequire(import.meta.url)(config) as { forbidden: { name: string; comment?: string }[] }).forbidden;
    expect(rules.map((r) => r.name).sort()).toEqual([...new Set(expected.map(([rule]) => rule))].sort());
    for (const rule of rules) expect(rule.comment, rule.name).toMatch(/\S.{20,}/);
  });
});
