import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadProject, type Project } from "../../src/config/project.js";
import { composeSecretEnvironment } from "../../src/runtimes/compose/compose-file.js";
import { writeRunFiles } from "../../src/runtimes/compose/run-files.js";
import { prepareControl } from "../../src/runtimes/compose/control/control-process.js";
import { DockerCli } from "../../src/docker/docker-cli.js";
import { findCompose } from "../../src/runtimes/compose/docker-ready.js";
import { writeComposeRecord } from "../../src/runtimes/compose/run-record.js";
import { dockerAnswers } from "../helpers/docker.js";
import { DSN_CANARY, SIGNING_KEY_CANARY, securityProject } from "./security-stack.js";

// What `make dev runtime=compose` writes for the security fixture's run (the real writeRunFiles, the run record, the
// control folder), searched for its canaries; then Compose itself reads the run file, to show the values still
// reach the containers. Creating containers is not needed for either: the files are what another user could read.

let fixture: Awaited<ReturnType<typeof securityProject>>;
let project: Project;

beforeAll(async () => {
  fixture = await securityProject();
  project = loadProject({
    cwd: fixture.root,
    runtime: "compose",
    env: { REDIS_PORT: "16379", APP_PORT: "13999" },
    createEnv: true,
  });
});

afterAll(() => fixture?.cleanUp());

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("threat: zero writes a secret into the compose stack's files", () => {
  it("promise: the run's compose file and every file under .zero hold no declared or generated secret; the compose folder is 0700, its files 0600", () => {
    prepareControl(project);
    const file = writeRunFiles(project, 1);
    writeComposeRecord(project.home, { projectName: "security-fixture-test", file });
    const canaries = [DSN_CANARY, SIGNING_KEY_CANARY, fixture.envValues().SESSION_KEY!];
    expect(canaries[2]!.length).toBeGreaterThan(8);
    const leaks = walk(project.home).flatMap((path) => {
      const text = readFileSync(path, "latin1");
      // Its plain head too: a JSON-escaped or cut form of the DSN (it holds " and \) is found as well.
      return [...canaries, DSN_CANARY.slice(0, 11)]
        .filter((canary) => text.includes(canary))
        .map((canary) => `${canary} in ${path.slice(fixture.root.length + 1)}`);
    });
    expect(leaks).toEqual([]);
    expect(mode(join(project.home, "compose"))).toBe("700");
    for (const path of walk(join(project.home, "compose"))) expect(mode(path), path).toBe("600");
    const app = parse(readFileSync(file, "utf8")).services.app.environment;
    expect(app.SENTRY_DSN).toBe("${ZERO_SECRET_SENTRY_DSN}");
    expect(app.SESSION_KEY).toBe("${ZERO_SECRET_SESSION_KEY}");
    expect(app.REDIS_PASSWORD_FILE).toBe("/run/secrets/redis_password");
  });

  it.skipIf(!dockerAnswers)(
    "promise: Compose fills in the secrets from zero's environment (the container gets them)",
    async () => {
      const file = writeRunFiles(project, 1);
      // `compose config` is no operation of zero's Docker client: run here as the installed Compose (v2 or v1) is called.
      const [command, ...prefix] =
        (await findCompose(new DockerCli())) === 2 ? ["docker", "compose"] : ["docker-compose"];
      const config = await execa(command!, [...prefix, "--file", file, "--project-directory", project.root, "config"], {
        reject: false,
        cwd: project.root,
        env: composeSecretEnvironment(project),
      });
      expect(config.exitCode, config.stderr).toBe(0);
      const app = parse(config.stdout).services.app.environment;
      expect(app.SENTRY_DSN).toBe(DSN_CANARY);
      expect(app.SESSION_KEY).toBe(fixture.envValues().SESSION_KEY);
    },
  );
});
