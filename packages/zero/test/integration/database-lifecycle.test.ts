import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { repoRoot, runZero, zeroBin } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

/**
 * `zero db` (make migrate, seed, reset-db, backup-db, restore-db, backups) against a real PostgreSQL run by zero
 * from the project's own stack.yaml (test profile, free ports, a throwaway ZERO_HOME). Runs in order.
 */
describe.sequential("database lifecycle commands", () => {
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero([...args, "--profile", "test"], { cwd: repoRoot, env });
  const password = "test-only-postgres-password"; // the test profile's fixed, non-secret password (stack.yaml)
  const url = () => `postgres://app:${password}@127.0.0.1:${env.POSTGRES_PORT}/app`;
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const bookings = async () => Number((await query("select count(*) from bookings"))[0].count);
  const dataDir = () => join(env.ZERO_HOME!, "data", "postgres");

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT", "REDIS_PORT", "API_PORT", "API_DEBUG_PORT", "WEB_PORT"]);
    const up = await zero("up", "postgres");
    expect(up.exitCode, up.all).toBe(0);
  });

  afterAll(async () => {
    await zero("down");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("a new cluster comes migrated and seeded (stack.yaml's database.auto_seed); migrates an empty database and seeds it idempotently", async () => {
    expect(await bookings()).toBe(22);
    expect((await zero("db", "migrate")).all).toContain("Nothing to apply");
    await query("drop schema public cascade; create schema public");
    const migrate = await zero("db", "migrate");
    expect(migrate.exitCode, migrate.all).toBe(0);
    expect(migrate.all).toMatch(/applied\s+20261122210000000_booking-domain/);
    expect((await zero("db", "migrate")).all).toContain("Nothing to apply");
    expect((await zero("db", "seed")).exitCode).toBe(0);
    expect(await bookings()).toBe(22);
    expect((await zero("db", "seed")).exitCode).toBe(0);
    expect(await bookings()).toBe(22);
  });

  it("refuses reset-db without a terminal or --yes, and changes nothing", async () => {
    const result = await zero("db", "reset");
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("ZERO_CONFIRMATION_REQUIRED");
    expect(await bookings()).toBe(22);
  });

  it("asks in a terminal: anything but yes changes nothing, yes resets", async () => {
    // util-linux `script` gives zero a real pseudo-terminal; our answer arrives on it as typed input.
    const inTerminal = (answer: string) =>
      execa("script", ["-qec", `${process.execPath} ${zeroBin} db reset --profile test`, "/dev/null"], {
        cwd: repoRoot, env: { ...env, NO_COLOR: "1" }, input: `${answer}\n`, reject: false, all: true,
      });
    await query("insert into tenants (slug, name) values ('asked', 'Asked Studio')");
    const declined = await inTerminal("no");
    expect(declined.all).toContain('Type "yes" to continue');
    expect(declined.exitCode, declined.all).toBe(2);
    expect(declined.all).toContain("Cancelled; nothing was changed.");
    expect(await query("select slug from tenants where slug = 'asked'")).toEqual([{ slug: "asked" }]);

    const accepted = await inTerminal("yes");
    expect(accepted.exitCode, accepted.all).toBe(0);
    expect(await query("select slug from tenants where slug = 'asked'")).toEqual([]);
    expect(await bookings()).toBe(22);
  });

  it("resets to an empty schema with --no-seed, and to the seed data without", async () => {
    await query("insert into tenants (slug, name) values ('extra', 'Extra Studio')");
    const empty = await zero("db", "reset", "--yes", "--no-seed");
    expect(empty.exitCode, empty.all).toBe(0);
    expect(await bookings()).toBe(0);
    expect(await query("select name from pgmigrations")).toEqual([{ name: "20261122210000000_booking-domain" }]);
    expect((await zero("db", "reset", "--yes")).exitCode).toBe(0);
    expect(await bookings()).toBe(22);
    expect(await query("select slug from tenants where slug = 'extra'")).toEqual([]);
  });

  let backup: string;
  it("backs up, and a restore brings back exactly that state", async () => {
    const result = await zero("db", "backup");
    expect(result.exitCode, result.all).toBe(0);
    const [archive] = readdirSync(join(env.ZERO_HOME!, "backups")).filter((name) => name.endsWith(".tar.gz"));
    backup = join(env.ZERO_HOME!, "backups", archive!);
    const manifest = JSON.parse(readFileSync(backup.replace(/\.tar\.gz$/, ".json"), "utf8"));
    expect(manifest).toMatchObject({ pgVersion: "17", database: "app", migrations: ["20261122210000000_booking-domain"] });
    expect((await zero("db", "backups")).all).toContain(archive);
    // A full copy of the database: readable by its owner only, in a folder only its owner may enter.
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(statSync(backup.replace(/\.tar\.gz$/, ".json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.ZERO_HOME!, "backups")).mode & 0o777).toBe(0o700);

    await query("delete from bookings where status = 'hold'");
    expect(await bookings()).toBe(15);
    const restore = await zero("db", "restore", backup, "--yes");
    expect(restore.exitCode, restore.all).toBe(0);
    expect(await bookings()).toBe(22);
    // PostgreSQL refuses a data directory others can read; when zero runs as root it belongs to the postgres user.
    expect(statSync(dataDir()).mode & 0o777).toBe(0o700);
    if (process.getuid?.() === 0) expect(statSync(join(dataDir(), "PG_VERSION")).uid).not.toBe(0);
  });

  it("fails on a corrupt backup before touching the database", async () => {
    await query("delete from bookings where status = 'hold'");
    const corrupt = join(env.ZERO_HOME!, "corrupt.tar.gz");
    copyFileSync(backup, corrupt);
    truncateSync(corrupt, Math.floor(statSync(corrupt).size / 2));
    const result = await zero("db", "restore", corrupt, "--yes");
    expect(result.exitCode).toBe(8);
    expect(result.all).toContain("ZERO_RESTORE_FAILED");
    expect(result.all).toContain("Nothing was changed");
    expect(result.all).not.toContain("stopping postgres");
    expect(await bookings()).toBe(15);
    expect(readdirSync(join(env.ZERO_HOME!, "data")).filter((name) => name.startsWith(".restore-"))).toEqual([]);
  });

  it("puts the previous database back when the restored one does not start", async () => {
    // A well-formed backup whose cluster cannot start: its control file is gone.
    const work = mkdtempSync(join(env.ZERO_HOME!, "broken-"));
    execFileSync("tar", ["-xzf", backup, "-C", work]);
    rmSync(join(work, "postgres", "global", "pg_control"));
    const broken = join(env.ZERO_HOME!, "broken.tar.gz");
    execFileSync("tar", ["-czf", broken, "-C", work, "manifest.json", "postgres"]);
    const result = await zero("db", "restore", broken, "--yes");
    expect(result.exitCode, result.all).toBe(8);
    expect(result.all).toContain("The previous database is back in place and running");
    expect(await bookings()).toBe(15);
    expect(readdirSync(join(env.ZERO_HOME!, "data")).filter((name) => name.includes("restore"))).toEqual([]);
  });

  it("refuses restore-db without a terminal or --yes", async () => {
    const result = await zero("db", "restore", backup);
    expect(result.exitCode).toBe(2);
    expect(await bookings()).toBe(15);
  });
});
