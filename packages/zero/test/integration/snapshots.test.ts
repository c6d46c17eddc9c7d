import { rmSync } from "node:fs";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero, zeroBin } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

/** `zero db snapshot | snapshots | restore-snapshot | drop-snapshot` against a real PostgreSQL run by zero (test profile). */
describe.sequential("database snapshots", () => {
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero([...args, "--profile", "test"], { cwd: repoRoot, env });
  const password = "test-only-postgres-password"; // the test profile's fixed, non-secret password (stack.yaml)
  const query = async (sql: string, database = "app") => {
    const client = new pg.Client({
      connectionString: `postgres://app:${password}@127.0.0.1:${env.POSTGRES_PORT}/${database}`,
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const studios = async () => (await query("select slug from tenants order by slug")).map((row) => row.slug as string);
  const databases = async () =>
    (await query("select datname from pg_database where datname like 'zero%' order by 1", "postgres")).map(
      (r) => r.datname as string,
    );

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT", "REDIS_PORT", "API_PORT", "API_DEBUG_PORT", "WEB_PORT"]);
    for (const step of [
      ["up", "postgres"],
      ["db", "migrate"],
      ["db", "seed"],
    ]) {
      const result = await zero(...step);
      expect(result.exitCode, result.all).toBe(0);
    }
  });

  afterAll(async () => {
    await zero("down");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("takes a snapshot and brings its rows back after they changed", async () => {
    const before = await studios();
    const taken = await zero("db", "snapshot", "seeded");
    expect(taken.exitCode, taken.all).toBe(0);
    expect(taken.all).toMatch(
      /Snapshot "seeded" of database "app" taken in \d+\.\d+ s \([\d.]+ [kM]B, 1, latest \d+_booking-domain/,
    );
    await query("insert into tenants (slug, name) values ('later', 'Later Studio')");
    expect(await studios()).toContain("later");

    const list = await zero("db", "snapshots");
    expect(list.all).toMatch(/seeded\s+snapshot\s+\S+\s+[\d.]+ [kM]B\s+1, latest \d+_booking-domain\s+\d{4}-\d\d-\d\d/);

    expect((await zero("db", "restore-snapshot", "seeded")).all).toContain("ZERO_CONFIRMATION_REQUIRED");
    expect(await studios()).toContain("later");
    const restored = await zero("db", "restore-snapshot", "seeded", "--yes");
    expect(restored.exitCode, restored.all).toBe(0);
    expect(await studios()).toEqual(before);
    expect(await databases()).toEqual(["zero_snap_seeded"]); // no work copy left behind
  });

  it("refuses names with /, .. or spaces, unknown snapshots, and another project's", async () => {
    for (const name of ["a/b", "..", "two words", "../etc"]) {
      const refused = await zero("db", "snapshot", name);
      expect(refused.exitCode).toBe(2);
      expect(refused.all).toContain("ZERO_USAGE");
    }
    const unknown = await zero("db", "restore-snapshot", "nope", "--yes");
    expect(unknown.exitCode).toBe(8);
    expect(unknown.all).toContain('ZERO_SNAPSHOT_REFUSED: There is no snapshot "nope"');
    // A snapshot that says it was taken of another project (as one copied in from elsewhere would).
    expect((await zero("db", "snapshot", "foreign")).exitCode).toBe(0);
    const [{ comment }] = await query(
      "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = 'zero_snap_foreign'",
      "postgres",
    );
    const other = JSON.stringify({ ...JSON.parse(comment), project: "someone-elses-stack" }).replaceAll("'", "''");
    await query(`comment on database zero_snap_foreign is '${other}'`, "postgres");
    const foreign = await zero("db", "restore-snapshot", "foreign", "--yes");
    expect(foreign.exitCode).toBe(8);
    expect(foreign.all).toContain('was taken of project "someone-elses-stack", not "zero-to-running"');
    expect((await zero("db", "drop-snapshot", "foreign")).exitCode).toBe(0);
    expect(await databases()).toEqual(["zero_snap_seeded"]);
  });

  it("leaves the database whole when a restore is interrupted with Ctrl-C at any moment", async () => {
    await query("insert into tenants (slug, name) values ('current', 'Current Studio')");
    const current = await studios();
    const snapshot = current.filter((slug) => slug !== "current");
    for (const delayMs of [150, 400, 700, 1000]) {
      const restore = execa(
        process.execPath,
        [zeroBin, "db", "restore-snapshot", "seeded", "--yes", "--profile", "test"],
        {
          cwd: repoRoot,
          env: { ...env, NO_COLOR: "1" },
          reject: false,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      restore.kill("SIGINT");
      await restore;
      // Either the previous state or the snapshot's, never a missing or half-made database.
      expect([current, snapshot]).toContainEqual(await studios());
      if ((await studios()).length === snapshot.length)
        await query("insert into tenants (slug, name) values ('current', 'Current Studio')");
    }
    // The next restore (or snapshot) tidies whatever an interrupted one left.
    expect((await zero("db", "restore-snapshot", "seeded", "--yes")).exitCode).toBe(0);
    expect(await studios()).toEqual(snapshot);
    expect(await databases()).toEqual(["zero_snap_seeded"]);
  });
});
