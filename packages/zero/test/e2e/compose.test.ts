import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, repoRoot, waitFor } from "../helpers/cli.js";
import { make } from "../helpers/make.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { dockerAnswers } from "../helpers/docker.js";

const PORTS = ["WEB_PORT", "API_PORT", "API_DEBUG_PORT", "POSTGRES_PORT", "REDIS_PORT"];
const PROJECT = "zero-e2e-compose";
const CANARY = `canary-${process.pid}-pg-password`;


if (!dockerAnswers && process.env.CI) {
  // CI installs and starts Docker (.ci/run): without it this test must fail, not vanish.
  describe("make dev runtime=compose", () => {
    it("needs a running Docker engine in CI", () => {
      expect.fail("docker info failed: .ci/run should have installed and started Docker");
    });
  });
}

const volumes = () => execFileSync("docker", ["volume", "ls", "-q"], { encoding: "utf8" }).split("\n").filter(Boolean);

/** Everything of the test's Compose project that Docker still has: containers, networks, volumes. */
function leftovers(): string[] {
  const filter = `label=com.docker.compose.project=${PROJECT}`;
  return [
    ["ps", "-aq", "--filter", filter],
    ["network", "ls", "-q", "--filter", filter],
    ["volume", "ls", "-q", "--filter", filter],
  ].flatMap((args) => execFileSync("docker", args, { encoding: "utf8" }).split("\n").filter(Boolean).map((id) => `${args[0]} ${id}`));
}

/** The same stack in containers: make dev / status / logs / down with runtime=compose on a real Docker engine. */
describe.runIf(dockerAnswers).sequential("make dev runtime=compose", () => {
  let env: Record<string, string>;
  let volumesBefore: string[];
  const run = (target: string, ...args: string[]) => make(target, ["runtime=compose", ...args], env);
  const query = async (sql: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port: Number(env.POSTGRES_PORT), user: "app", database: "app", password: CANARY });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    // Its own Compose project, ports and home: never the developer's stack. Images come from the
    // environment (POSTGRES_IMAGE, REDIS_IMAGE, NODE_IMAGE: official ones, or CI's stand-ins).
    env = await isolatedEnv(PORTS, {
      COMPOSE_PROJECT_NAME: PROJECT,
      POSTGRES_PASSWORD: CANARY,
      REDIS_PASSWORD: "e2e-compose-redis-password",
    });
    env.CORS_ORIGIN = `http://127.0.0.1:${env.WEB_PORT}`;
    volumesBefore = volumes();
  });

  afterAll(async () => {
    await run("down", "volumes=1");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("the committed docker-compose.yml is valid for Compose itself", async () => {
    const [file, args] = (await execa("docker", ["compose", "version"], { reject: false })).exitCode === 0 ? ["docker", ["compose"]] : ["docker-compose", []];
    const result = await execa(file, [...args, "--file", "docker-compose.yml", "--profile", "full", "config", "--quiet"], { cwd: repoRoot, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it("brings up the four services in containers, healthy, with the native runtime's summary", async () => {
    const result = await run("dev");
    expect(result.exitCode, result.all).toBe(0);
    for (const service of ["postgres", "redis", "api", "web"]) expect(result.all).toMatch(new RegExp(`${service}\\s+healthy in \\d+ ms`));
    expect(result.all).toContain(`postgres://app:****@127.0.0.1:${env.POSTGRES_PORT}/app`);
    expect(result.all).not.toContain(CANARY);
  }, 300_000); // the first run on a machine builds the images

  it("serves: the API is ready with database and cache, the web app answers, seeded data is there", async () => {
    const ready = await fetch(`http://127.0.0.1:${env.API_PORT}/health/ready`);
    expect(await ready.json()).toMatchObject({ status: "ready", database: "ok", cache: "ok" });
    expect((await fetch(`http://127.0.0.1:${env.WEB_PORT}/`)).status).toBe(200);
    const artists = (await (await fetch(`http://127.0.0.1:${env.API_PORT}/api/v1/artists`)).json()) as unknown[];
    expect(artists.length).toBeGreaterThan(0);
  });

  it("make status shows every container running and healthy, with CPU and memory", async () => {
    const rows = ["postgres", "redis", "api", "web"].map((service) => new RegExp(`${service}\\s+running\\s+healthy\\s+\\S+\\s+\\d+\\s+[\\d.]+%\\s+\\d+ MB`));
    // Status probes each service once, with its 1 s timeout: on a loaded machine (CI, two test files at once) one
    // probe can miss it. A few tries; a real fault fails them all.
    let result = await make("status", ["runtime=compose"], env);
    for (let tries = 1; tries < 4 && !rows.every((row) => row.test(result.all)); tries++) {
      result = await make("status", ["runtime=compose"], env);
    }
    expect(result.exitCode, result.all).toBe(0);
    for (const row of rows) expect(result.all).toMatch(row);
  });

  it("make logs shows the containers' lines with the service prefix, secrets masked", async () => {
    await fetch(`http://127.0.0.1:${env.API_PORT}/api/v1/artists?from=compose-e2e`);
    const result = await run("logs", "service=api");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/api\s+\| .*compose-e2e/);
    expect(result.all).not.toContain(CANARY);
  });

  it("the production images build, run as non-root and serve (api on the stack's database, web's static build)", async () => {
    const nodeImage = process.env.NODE_IMAGE ? ["--build-arg", `NODE_IMAGE=${process.env.NODE_IMAGE}`] : [];
    for (const target of ["api", "web"]) {
      const build = await execa("docker", ["build", "-q", "-f", "infrastructure/docker/Dockerfile", "--target", target, ...nodeImage, "-t", `${PROJECT}-${target}:prod`, "."], { cwd: repoRoot, reject: false });
      expect(build.exitCode, build.stderr).toBe(0);
    }
    const [apiPort, webPort] = [await freePort(), await freePort()];
    const started: string[] = [];
    try {
      for (const args of [
        ["--network", `${PROJECT}_zero`, "-p", `127.0.0.1:${apiPort}:3001`, "-e", "DATABASE_URL=postgres://app@postgres:5432/app",
          "-e", "DATABASE_PASSWORD_FILE=/run/secrets/pg", "-v", `${join(env.ZERO_HOME!, "secrets", "postgres_password")}:/run/secrets/pg:ro`, `${PROJECT}-api:prod`],
        ["-p", `127.0.0.1:${webPort}:3000`, `${PROJECT}-web:prod`],
      ]) {
        started.push((await execa("docker", ["run", "-d", ...args])).stdout.trim());
      }
      await waitFor(async () => (await fetch(`http://127.0.0.1:${apiPort}/health/ready`)).ok, 30_000, "the production API");
      // docker-proxy accepts (then drops) connections before serve listens: wait for an answer, as for the API.
      await waitFor(async () => (await fetch(`http://127.0.0.1:${webPort}/`)).ok, 30_000, "the production web server");
      expect(await (await fetch(`http://127.0.0.1:${webPort}/`)).text()).toContain("<title>Zero-to-Running</title>");
      for (const id of started) expect((await execa("docker", ["exec", id, "id", "-u"])).stdout).not.toBe("0");
    } finally {
      if (started.length > 0) await execa("docker", ["rm", "-f", ...started], { reject: false });
      await execa("docker", ["rmi", `${PROJECT}-api:prod`, `${PROJECT}-web:prod`], { reject: false });
    }
  }, 180_000);

  it("keeps no password in the process list or the generated compose file", () => {
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain(CANARY);
    expect(readFileSync(join(env.ZERO_HOME!, "compose", "docker-compose.yml"), "utf8")).not.toContain(CANARY);
  });

  it("make down removes the containers and keeps the data for the next make dev", async () => {
    await query("create table e2e_kept (note text); insert into e2e_kept values ('still here')");
    const down = await run("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(leftovers().filter((item) => item.startsWith("ps"))).toEqual([]);
    const up = await run("dev");
    expect(up.exitCode, up.all).toBe(0);
    expect(await query("select note from e2e_kept")).toEqual([{ note: "still here" }]);
  }, 120_000);

  it("make down volumes=1 leaves no container, network or volume of the project", async () => {
    const result = await run("down", "volumes=1");
    expect(result.exitCode, result.all).toBe(0);
    expect(leftovers()).toEqual([]);
    // Unnamed volumes (the containers' node_modules) carry no project label: none may be left either.
    expect(volumes().filter((name) => !volumesBefore.includes(name))).toEqual([]);
  });
});
