import { readdir, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import pg from "pg";

/** The table node-pg-migrate records applied migrations in (its default), in the public schema. */
export const MIGRATIONS_TABLE = "pgmigrations";

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  dir: string;
  /** Apply only the first N pending migrations (restore rebuilds a backup's exact schema this way). */
  count?: number;
  /** Receives node-pg-migrate's progress lines. */
  log?: (message: string) => void;
}

/** What a failed migration run knows: which migration's SQL failed, its file, and the line PostgreSQL pointed at. */
export interface MigrationFailureFacts {
  migration?: string;
  file?: string;
  /** The failing statement's line (where PostgreSQL's error position points), when it gave one. */
  statement?: string;
}

// Applies pending migrations in one transaction under node-pg-migrate's advisory lock, waiting for the lock
// so that the API's start-up and `make migrate` can run at the same time; returns the names applied. A failure
// is rethrown with the failing migration's name, file and statement added (read from node-pg-migrate's log).
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const facts: MigrationFailureFacts = {};
  const watch = (message: string) => {
    const started = /^### MIGRATION (.+) \(UP\) ###$/.exec(message);
    if (started) facts.migration = started[1];
    if (message.startsWith("Error executing:")) facts.statement = pointedLine(message);
    log(message);
  };
  // Loaded on demand: it takes ~70 ms, and the API's start-up skips it when nothing is pending.
  const { runner } = await import("node-pg-migrate");
  // Our own client, ended before we return: node-pg-migrate's own is ended without waiting and has no error listener,
  // so a server stopped right after (zero's private server for a migrated cluster) killed the process with 57P01.
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: "zero-migrate" });
  client.on("error", () => {}); // a lost connection also fails the query in flight, which is what we report
  try {
    await client.connect();
    const applied = await runner({
      dbClient: client,
      dir: options.dir,
      migrationsTable: MIGRATIONS_TABLE,
      direction: "up",
      count: options.count,
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: "wait",
      logger: { debug: log, info: watch, warn: watch, error: watch },
    });
    return applied.map((migration) => migration.name);
  } catch (error) {
    if (facts.migration) facts.file = await migrationFile(options.dir, facts.migration);
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), facts);
  } finally {
    await client.end().catch(() => {});
  }
}

// node-pg-migrate prints the failing SQL with a line of ^^^^ under the line PostgreSQL's error position is on.
function pointedLine(message: string): string | undefined {
  const lines = message.split("\n");
  const marker = lines.findIndex((line) => /^\s*\^\^\^\^/.test(line));
  return marker > 0 ? lines[marker - 1]!.trim() || undefined : undefined;
}

async function migrationFile(dir: string, name: string): Promise<string | undefined> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const file = entries.find((entry) => basename(entry, extname(entry)) === name);
  return file ? join(dir, file) : undefined;
}

// Names of the migration files in a folder (node-pg-migrate's ids: the file name without its extension).
export async function listMigrationFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => basename(entry.name, extname(entry.name)))
    .sort();
}

// Names recorded as applied; none when the migrations table does not exist yet (an empty database).
export async function readAppliedMigrations(client: Pick<pg.ClientBase, "query">): Promise<string[]> {
  const exists = await client.query<{ table: string | null }>("select to_regclass($1) as table", [`public.${MIGRATIONS_TABLE}`]);
  if (!exists.rows[0]?.table) return [];
  const result = await client.query<{ name: string }>(`select name from public.${MIGRATIONS_TABLE} order by run_on, id`);
  return result.rows.map((row) => row.name);
}

export interface MigrationStatus {
  /** Names recorded as applied, in the order they ran. */
  applied: string[];
  /** Migration files the database has not applied, in file order: empty means the schema is at the latest. */
  pending: string[];
}

export async function migrationStatus(client: Pick<pg.ClientBase, "query">, dir: string): Promise<MigrationStatus> {
  const [files, applied] = await Promise.all([listMigrationFiles(dir), readAppliedMigrations(client)]);
  const done = new Set(applied);
  return { applied, pending: files.filter((name) => !done.has(name)) };
}

const TEMPLATE = `-- Up Migration
-- Plain SQL, applied in one transaction with every other pending migration. Write it so that it works on an
-- empty database and on one with data (backfill before adding NOT NULL). See docs/database.md.


-- Down Migration
-- Undo the Up part (node-pg-migrate down, while developing); shared databases only move forward.
`;

// Creates <dir>/<UTC timestamp>_<name>.sql from the template (node-pg-migrate's "utc" file names, which sort in
// order of creation); returns its path. Written here rather than by node-pg-migrate, whose template lookup is
// relative to its own files and so breaks inside the bundled zero CLI.
export async function createMigrationFile(dir: string, name: string, now = new Date()): Promise<string> {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new Error(`migration name "${name}" must be letters, digits, - and _`);
  const stamp = now.toISOString().replace(/[-:TZ.]/g, "");
  const path = join(dir, `${stamp}_${name}.sql`);
  await writeFile(path, TEMPLATE, { flag: "wx" });
  return path;
}
