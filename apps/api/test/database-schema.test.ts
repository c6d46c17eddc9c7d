import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { applyMigrations, applySeeds, createMigrationFile, listMigrationFiles, migrationStatus } from "@zero/database";
import { afterAll, describe, expect, it } from "vitest";
import { buildTestApp } from "./support/build-test-app.js";
import { createFreshDatabase, migrationsDir, seedsDir, withClient } from "./support/fresh-database.js";

const TABLES = ["tenants", "users", "artists", "projects", "bookings"];

async function countRows(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = Number((await client.query(`select count(*) from ${table}`)).rows[0].count);
    return counts;
  });
}

describe("migrations and seeds against a real PostgreSQL", () => {
  it("migrates an empty database to the latest migration and records it", async () => {
    const url = await createFreshDatabase();
    const applied = await applyMigrations({ databaseUrl: url, dir: migrationsDir });
    expect(applied).toEqual(await listMigrationFiles(migrationsDir));
    expect(applied.length).toBeGreaterThan(0);
    await withClient(url, async (client) => {
      expect((await migrationStatus(client, migrationsDir)).pending).toEqual([]);
      const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public'");
      expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining([...TABLES, "pgmigrations"]));
    });
    // A second run finds nothing to do.
    expect(await applyMigrations({ databaseUrl: url, dir: migrationsDir })).toEqual([]);
  });

  it("seeds representative data, and a second seed run changes no count", async () => {
    const url = await createFreshDatabase();
    await applyMigrations({ databaseUrl: url, dir: migrationsDir });
    await applySeeds(url, seedsDir);
    const first = await countRows(url);
    expect(first).toEqual({ tenants: 3, users: 8, artists: 12, projects: 7, bookings: 22 });
    await applySeeds(url, seedsDir);
    expect(await countRows(url)).toEqual(first);
    const statuses = await withClient(url, (client) => client.query("select distinct status from bookings order by 1"));
    expect(statuses.rows.map((row) => row.status)).toEqual(["hold", "pencil", "confirmed", "cancelled"]);
  });

  it("creates a new migration from the template that sorts last and applies cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      const file = await createMigrationFile(dir, "add-rates");
      expect(basename(file)).toMatch(/^\d{17}_add-rates\.sql$/);
      expect((await listMigrationFiles(dir)).at(-1)).toBe(basename(file, ".sql"));
      await expect(createMigrationFile(dir, "drop table x;")).rejects.toThrow(/letters, digits/);
      writeFileSync(file, readFileSync(file, "utf8").replace("-- Down Migration", "ALTER TABLE artists ADD COLUMN rate_note text;\n\n-- Down Migration"));
      const url = await createFreshDatabase();
      expect(await applyMigrations({ databaseUrl: url, dir })).toEqual(await listMigrationFiles(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("readiness follows the schema", () => {
    const extraDir = mkdtempSync(join(tmpdir(), "migrations-"));
    afterAll(() => rmSync(extraDir, { recursive: true, force: true }));

    it("is ready at the latest migration and 503 naming the pending one when a newer file appears", async () => {
      const url = await createFreshDatabase();
      await applyMigrations({ databaseUrl: url, dir: migrationsDir });
      cpSync(migrationsDir, extraDir, { recursive: true });
      const { app } = await buildTestApp({ DATABASE_URL: url, MIGRATIONS_DIR: extraDir });
      expect((await app.inject("/health/ready")).statusCode).toBe(200);

      writeFileSync(join(extraDir, "29991231000000000_add-rates.sql"), "-- Up Migration\nselect 1;\n");
      const response = await app.inject("/health/ready");
      expect(response.statusCode).toBe(503);
      expect(response.json().errors.database).toMatch(/not at the latest migration: 1 pending \(first: 29991231000000000_add-rates\)/);
    });
  });
});
