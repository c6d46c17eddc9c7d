import { rmSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import { dockerAnswers } from "../helpers/docker.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// Named snapshots under compose on the real Docker engine: the native template copies, run against the PostgreSQL
// in the container through its published loopback port. Only the PostgreSQL container runs (POSTGRES_IMAGE).
const PROJECT = "zero-e2e-compose-snap";

describe.runIf(dockerAnswers || process.env.CI).sequential("make snapshot / restore-snapshot runtime=compose", () => {
  let env: Record<string, string>;
  const password = "compose-snapshot-password";
  const zero = (...args: string[]) =>
    runZero([...args, "--runtime", "compose", "--profile", "test"], {
      cwd: repoRoot,
      env: { ...env, POSTGRES_PASSWORD: password },
    });
  const query = async (sql: string) => {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: Number(env.POSTGRES_PORT),
      user: "app",
      database: "app",
      password,
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const seconds = (output: string) => /in (\d+\.\d+) s/.exec(output)?.[1];

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT"], { COMPOSE_PROJECT_NAME: PROJECT });
  });

  afterAll(async () => {
    await zero("down", "--volumes");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("starts PostgreSQL in its container", async () => {
    const result = await zero("up", "postgres");
    expect(result.exitCode, result.all).toBe(0);
    await query("create table kept (note text); insert into kept values ('in the snapshot')");
  }, 180_000);

  it("snapshots, restores (a row written since is gone) and drops, inside the container's server", async () => {
    const taken = await zero("db", "snapshot", "before-write");
    expect(taken.exitCode, taken.all).toBe(0);
    expect(taken.all).toMatch(/Snapshot "before-write" of database "app" taken in \d+\.\d+ s/);
    expect((await zero("db", "snapshots")).all).toMatch(/before-write\s+snapshot\s/);

    await query("insert into kept values ('written after')");
    const restored = await zero("db", "restore-snapshot", "before-write", "--yes");
    expect(restored.exitCode, restored.all).toBe(0);
    expect(restored.all).toMatch(/Restored snapshot "before-write" .* in \d+\.\d+ s/);
    expect(await query("select note from kept")).toEqual([{ note: "in the snapshot" }]);

    const dropped = await zero("db", "drop-snapshot", "before-write");
    expect(dropped.exitCode, dropped.all).toBe(0);
    expect((await zero("db", "snapshots")).all).not.toContain("before-write");
    // The times, for the record (never asserted: the machine is shared).
    console.log(`compose snapshot ${seconds(taken.all)} s, restore ${seconds(restored.all)} s`);
  }, 90_000);
});
