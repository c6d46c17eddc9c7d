import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadProject } from "../../src/config/project.js";
import { composeForRun } from "../../src/runtimes/compose/compose-file.js";
import { controlMountDir, prepareControl } from "../../src/runtimes/compose/control/control-process.js";
import { scopedToken } from "../../src/control/token-scopes.js";
import { repoRoot } from "../helpers/cli.js";

// Under compose the control server's token reaches containers as files in bind mounts. What a container can
// read is what its mounts show it: the project's real compose file for a run and the real token files zero writes,
// read as the container would see them (every file of every host folder it mounts). Docker itself is not needed.

const home = mkdtempSync(join(tmpdir(), "zero-compose-tokens-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Every file a container of the compose file can read through its bind mounts, by service. */
function filesSeenBy(composeText: string): Record<string, string[]> {
  const services = parse(composeText).services as Record<string, { volumes?: string[] }>;
  const walk = (path: string): string[] =>
    !existsSync(path)
      ? []
      : statSync(path).isDirectory()
        ? readdirSync(path).flatMap((name) => walk(join(path, name)))
        : [path];
  return Object.fromEntries(
    Object.entries(services).map(([name, service]) => [
      name,
      (service.volumes ?? [])
        .filter((volume) => volume.startsWith("/"))
        .flatMap((volume) => walk(volume.split(":")[0]!)),
    ]),
  );
}

describe("threat: a dependency of the API (under compose) calls control", () => {
  it("promise: the API's container can read only a read token; only the dashboard's server (control: act) an act one; none the stack's own", () => {
    const project = loadProject({ cwd: repoRoot, profile: "test", runtime: "compose", env: { ZERO_HOME: home } });
    prepareControl(project);
    const own = readFileSync(join(home, "control", "token"), "utf8").trim();
    const scopeOf = (token: string) =>
      ({ [own]: "all", [scopedToken(own, "act")]: "act", [scopedToken(own, "read")]: "read" })[token.trim()];
    const seen = filesSeenBy(composeForRun(project, join(home, "secrets"), controlMountDir(project), 1));
    const tokens = (service: string) =>
      seen[service]!.map((file) => scopeOf(readFileSync(file, "utf8"))).filter((scope) => scope !== undefined);
    expect(tokens("api")).toEqual(["read"]);
    expect(tokens("web")).toEqual(["act"]);
    for (const service of Object.keys(seen)) expect(tokens(service), service).not.toContain("all");
  });
});
