import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { alive, faultStack } from "./fault-stack.js";

// Faults around the data: a database left running by a killed supervisor, a migration that fails, a damaged Redis
// append-only file. One real PostgreSQL and Redis (profile db), run from a copy of the fixture (its migrations).

describe.sequential("faults: data operations on a database outside zero's control, a failing migration, a damaged AOF", {
  timeout: 120_000,
}, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  const query = async (sql: string) => {
    // The fault stack's throwaway test password (fault-stack.ts), given apart from a URL.
    const client = new pg.Client({
      host: "127.0.0.1",
      port: Number(stack.env.POSTGRES_PORT),
      user: "faults",
      password: "faults-pg-pw",
      database: "faults",
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const upHealthy = async () => {
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  };

  beforeAll(async () => {
    stack = await faultStack("db", {}, { ownCopy: true });
    await upHealthy();
  }, 180_000);
  afterAll(() => stack.cleanUp());

  it("guarantee: with the supervisor killed and PostgreSQL still running, restore, reset, migrate, seed and backup refuse (ZERO_DATABASE_UNSUPERVISED) and change nothing", async () => {
    const migrate = await stack.zero("db", "migrate");
    expect(migrate.exitCode, migrate.all).toBe(0);
    await query("insert into notes values (1, 'kept')");
    const backup = await stack.zero("db", "backup");
    expect(backup.exitCode, backup.all).toBe(0);
    const file = join(
      stack.home,
      "backups",
      readdirSync(join(stack.home, "backups")).find((name) => name.endsWith(".tar.gz"))!,
    );
    await query("insert into notes values (2, 'after the backup')");

    const supervisor = stack.state().supervisor.pid;
    process.kill(supervisor, "SIGKILL");
    await waitFor(() => !alive(supervisor), 10_000, "the supervisor gone");
    for (const args of [["restore", file], ["reset"], ["migrate"], ["seed"], ["backup"]]) {
      const refused = await stack.zero("db", ...args, "--yes");
      expect(refused.exitCode, `${args[0]}: ${refused.all}`).not.toBe(0);
      expect(refused.all).toContain("ZERO_DATABASE_UNSUPERVISED");
    }
    // The server still answers, with the rows written after the backup: nothing was swapped under it.
    expect(await query("select count(*)::int as n from notes")).toEqual([{ n: 2 }]);
    const down = await stack.zero("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(stack.processes()).toEqual([]);
  });

  it("guarantee: a failing migration is rolled back with the others, and the error names its file and the failing statement", async () => {
    await upHealthy();
    const broken = join(stack.cwd, "migrations", "20261202000001000_broken.sql");
    writeFileSync(broken, "-- Up Migration\ncreate table applied_first (id int);\nselect * from no_such_table;\n");
    try {
      const migrate = await stack.zero("db", "migrate");
      expect(migrate.exitCode, migrate.all).not.toBe(0);
      expect(migrate.all).toContain("ZERO_MIGRATION_FAILED");
      expect(migrate.all).toContain("migrations/20261202000001000_broken.sql");
      expect(migrate.all).toContain("select * from no_such_table");
      expect(await query("select to_regclass('applied_first') as t")).toEqual([{ t: null }]);
    } finally {
      rmSync(broken);
    }
  });

  it("guarantee: a damaged Redis append-only file stops make dev with the file named, `redis-check-aof --fix` and what it loses", async () => {
    const client = new Redis({
      port: Number(stack.env.REDIS_PORT),
      host: "127.0.0.1",
      password: "faults-redis-pw",
      lazyConnect: true,
    });
    await client.connect();
    for (let i = 0; i < 50; i++) await client.set(`key:${i}`, "x".repeat(100));
    client.disconnect();
    expect((await stack.zero("down")).exitCode).toBe(0);
    const dir = join(stack.home, "data", "redis", "appendonlydir");
    const incr = readdirSync(dir).find((name) => name.endsWith(".incr.aof"))!;
    const bytes = readFileSync(join(dir, incr));
    const middle = Math.floor(bytes.length / 2);
    writeFileSync(
      join(dir, incr),
      Buffer.concat([bytes.subarray(0, middle), Buffer.from("garbage!\r\n"), bytes.subarray(middle)]),
    );
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).not.toBe(0);
    expect(up.all).toContain(incr);
    expect(up.all).toContain("redis-check-aof --fix");
    expect(up.all).toMatch(/every write after it (are|is) lost/);
  });
});
