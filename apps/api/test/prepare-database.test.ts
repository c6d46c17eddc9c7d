// The schema step the API runs before it listens, with the dev runner's marker (API_SCHEMA_MARKER): a hot-reload
// restart skips the database check only while the migration files (names and contents) are those the previous start
// brought it to, and until zero deletes the marker after changing the database.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pino } from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import { loadConfig } from "../src/config.js";
import { prepareDatabase } from "../src/database/prepare.js";
import { createFreshDatabase, migrationsDir, withClient } from "./support/fresh-database.js";
import { pollUntil } from "./support/poll.js";
import { startTcpFixture } from "./support/tcp-fixture.js";

describe("prepareDatabase under the dev runner's schema marker", () => {
  it("checks on the first start, skips while the migrations are unchanged, applies a new one", {
    timeout: 60_000,
  }, async () => {
    const folder = mkdtempSync(join(tmpdir(), "api-schema-marker-"));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const migrations = join(folder, "migrations");
    cpSync(migrationsDir, migrations, { recursive: true });
    const url = await createFreshDatabase();
    const config = loadConfig({
      DATABASE_URL: url,
      MIGRATIONS_DIR: migrations,
      AUTO_SEED: "false",
      API_SCHEMA_MARKER: join(folder, "schema-checked"),
    });
    const messages: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => messages.push(JSON.parse(line).msg) });

    await prepareDatabase(config, log);
    expect(messages.at(-1)).toMatch(/^applied \d+ migration\(s\)$/);
    await prepareDatabase(config, log);
    expect(messages.at(-1)).toBe("migrations unchanged since this dev runner's last start: schema check skipped");

    writeFileSync(
      join(migrations, "99990101000000_marker-test.sql"),
      "-- Up Migration\ncreate table marker_test (id int);\n",
    );
    await prepareDatabase(config, log);
    expect(messages.at(-1)).toBe("applied 1 migration(s)");
    const table = await withClient(url, (c) => c.query("select to_regclass('public.marker_test') as t"));
    expect(table.rows[0].t).toBe("marker_test");

    // An edited migration (same names) checks again.
    await prepareDatabase(config, log);
    expect(messages.at(-1)).toMatch(/schema check skipped$/);
    writeFileSync(
      join(migrations, "99990101000000_marker-test.sql"),
      "-- Up Migration\ncreate table marker_test (id int, note text);\n",
    );
    await prepareDatabase(config, log);
    expect(messages.at(-1)).toBe("schema is at the latest migration");

    // zero's rollback (and reset-db, restore-db, restore-snapshot, a branch switch) deletes the marker: the next
    // hot reload finds the rolled-back migration pending and applies it again instead of running on the old schema.
    await prepareDatabase(config, log);
    expect(messages.at(-1)).toMatch(/schema check skipped$/);
    await withClient(url, (c) =>
      c.query("drop table marker_test; delete from pgmigrations where name = '99990101000000_marker-test'"),
    );
    rmSync(config.schemaMarker as string); // what zero does (packages/zero/src/database/schema-markers.ts)
    await prepareDatabase(config, log);
    expect(messages.at(-1)).toBe("applied 1 migration(s)");

    // Without the marker (zero's other runtimes, `npm start`): always the real check.
    await prepareDatabase({ ...config, schemaMarker: undefined }, log);
    expect(messages.at(-1)).toBe("schema is at the latest migration");
  });
});

describe("prepareDatabase through the app's pool (server.ts)", () => {
  // The server reads the schema's status through its pool, whose connections give up after a timeout: at start-up,
  // on a machine busy starting the stack, that is waited for like a refused connection, not a failed start.
  it("waits while the database accepts but does not answer within the pool's timeout, then brings it up to date", {
    timeout: 60_000,
  }, async () => {
    const url = new URL(await createFreshDatabase());
    const fixture = await startTcpFixture("hang", { host: url.hostname, port: Number(url.port) });
    onTestFinished(() => fixture.close());
    url.port = String(fixture.port);
    const config = loadConfig({ DATABASE_URL: url.href, MIGRATIONS_DIR: migrationsDir, AUTO_SEED: "false" });
    const pool = new pg.Pool({ connectionString: url.href, connectionTimeoutMillis: 200 });
    onTestFinished(() => pool.end());
    const messages: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => messages.push(JSON.parse(line).msg) });

    const prepared = prepareDatabase(config, log, pool);
    await pollUntil(
      async () => messages,
      (seen) => seen.includes("database not reachable yet; retrying the migrations in 1 s"),
    );
    fixture.setMode("forward");
    await prepared;
    expect(messages.at(-1)).toMatch(/^applied \d+ migration\(s\)$/);
  });
});
