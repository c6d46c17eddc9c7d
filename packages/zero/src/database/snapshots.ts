import { setTimeout as sleep } from "node:timers/promises";
import { quoteIdent, readAppliedMigrations } from "@zero/database";
import type pg from "pg";
import { ZeroError } from "../errors/zero-error.js";
import { withClient } from "./connect.js";
import type { DatabaseTarget } from "./target.js";

/**
 * Snapshots are PostgreSQL template copies in the stack's own server (`CREATE DATABASE ... TEMPLATE app`): a file
 * copy done by the server, well under a second for the seeded database, on every runtime that reaches the server.
 * What a snapshot is (name, kind, branch, migrations, project, PostgreSQL major) is its database's COMMENT, so the
 * data and what describes it can never part.
 */
const SNAPSHOT_PREFIX = "zero_snap_";
const POINT_PREFIX = "zero_rp_";
const BRANCH_PREFIX = "zero_br_";
/** Work databases of a restore in progress: found and finished (or undone) by the next snapshot command. */
const INCOMING = "zero_swap_incoming";
const OUTGOING = "zero_swap_outgoing";
/** A snapshot replaced by a new one of its name: dropped last (a drop waits for a checkpoint, so never on the way). */
const REPLACED = "zero_swap_replaced";
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/;

/** snapshot: named by the user; restore-point: taken before migrations; branch: a branch's state (branch_data=1). */
export type SnapshotKind = "snapshot" | "restore-point" | "branch";

export interface SnapshotInfo {
  name: string;
  kind: SnapshotKind;
  project: string;
  branch?: string;
  pgMajor: number;
  migrations: string[];
  createdAt: string;
  sizeBytes: number;
}

/** Who takes a snapshot: the project (stack.yaml's name) and branch recorded with it. */
export interface SnapshotOwner {
  project: string;
  branch?: string;
}

/** A snapshot name from user input: letters, digits, . _ -; never a path, `..` or spaces. */
export function checkSnapshotName(name: string): string {
  if (!NAME.test(name) || name.includes("..")) {
    throw new ZeroError(
      "ZERO_USAGE",
      `"${name}" cannot name a snapshot: use up to 48 letters, digits, ".", "_" and "-" (no "/", "..", or spaces).`,
      {
        next: "Run `make snapshot name=before-refactor` (the default name is the git branch, with / made -).",
      },
    );
  }
  return name;
}

/** The default name: the branch, with what a name may not hold turned into "-". */
export function nameFromBranch(branch: string | undefined): string {
  const name = (branch ?? "default")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.\.+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "");
  return name.slice(0, 48) || "default";
}

/** Copies the app database into a snapshot (replacing one of the same name); returns what was recorded. */
export async function takeSnapshot(
  target: DatabaseTarget,
  owner: SnapshotOwner,
  name: string,
  kind: SnapshotKind = "snapshot",
  onDone: (info: SnapshotInfo) => void = () => {},
): Promise<SnapshotInfo> {
  return withAdmin(target, async (client, app) => {
    await finishInterruptedRestore(client, app);
    const migrations = await appliedMigrations(target);
    const info = {
      name,
      kind,
      ...owner,
      pgMajor: await serverMajor(client),
      migrations,
      createdAt: new Date().toISOString(),
      sizeBytes: 0,
    };
    const database = databaseName(name, kind);
    // A new copy first, under a work name: the old snapshot of this name stays whole until the new one is.
    await dropDatabase(client, INCOMING);
    await copyDatabase(client, app, INCOMING);
    await client.query(`comment on database ${quoteIdent(INCOMING)} is ${literal(JSON.stringify(info))}`);
    await uninterrupted(async () => {
      await renameIfExists(client, database, REPLACED);
      await client.query(`alter database ${quoteIdent(INCOMING)} rename to ${quoteIdent(database)}`);
    });
    const taken = { ...info, sizeBytes: await databaseSize(client, database) };
    onDone(taken);
    await dropDatabase(client, REPLACED);
    return taken;
  });
}

/**
 * Makes the app database a copy of the snapshot. The copy is made beside the app database first, then the two swap
 * names while Ctrl-C waits; the next snapshot command finishes or undoes a swap a crash cut in half.
 */
export async function restoreSnapshot(
  target: DatabaseTarget,
  owner: SnapshotOwner,
  name: string,
  kind: SnapshotKind = "snapshot",
  onDone: (info: SnapshotInfo) => void = () => {},
): Promise<SnapshotInfo> {
  return withAdmin(target, async (client, app) => {
    await finishInterruptedRestore(client, app);
    const info = await readSnapshot(client, name, kind);
    if (info.project !== owner.project) {
      throw refused(
        `Snapshot "${name}" was taken of project "${info.project}", not "${owner.project}"; nothing was changed.`,
      );
    }
    const major = await serverMajor(client);
    if (info.pgMajor !== major)
      throw refused(
        `Snapshot "${name}" holds PostgreSQL ${info.pgMajor} data, this server runs ${major}; nothing was changed.`,
      );
    await dropDatabase(client, INCOMING);
    await copyDatabase(client, databaseName(name, kind), INCOMING);
    // The live database says whose state it holds (the branch restoring it), in the same swap as its data.
    await client.query(`comment on database ${quoteIdent(INCOMING)} is ${literal(liveMark(owner))}`);
    await uninterrupted(async () => {
      await dropDatabase(client, OUTGOING);
      const rename = () => client.query(`alter database ${quoteIdent(app)} rename to ${quoteIdent(OUTGOING)}`);
      await withoutSessions(client, app, rename, false);
      await client.query(`alter database ${quoteIdent(INCOMING)} rename to ${quoteIdent(app)}`);
    });
    onDone(info); // the database is restored: what follows only frees the disk of the old copy
    await dropDatabase(client, OUTGOING);
    return info;
  });
}

export async function dropSnapshot(
  target: DatabaseTarget,
  name: string,
  kind: SnapshotKind = "snapshot",
): Promise<void> {
  await withAdmin(target, async (client) => {
    await readSnapshot(client, name, kind);
    await dropDatabase(client, databaseName(name, kind));
  });
}

/** Every snapshot and restore point of the server, oldest first. */
export async function listSnapshots(target: DatabaseTarget): Promise<SnapshotInfo[]> {
  return withAdmin(target, async (client) => {
    const { rows } = await client.query<{ datname: string; size: string; comment: string | null }>(
      `select datname, pg_database_size(oid) as size, shobj_description(oid, 'pg_database') as comment from pg_database
       where datname like 'zero\\_snap\\_%' or datname like 'zero\\_rp\\_%' or datname like 'zero\\_br\\_%'`,
    );
    return rows
      .flatMap((row) => {
        const info = parseInfo(row.comment);
        return info ? [{ ...info, sizeBytes: Number(row.size) }] : [];
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  });
}

/** The branch whose state the app database holds (branch_data=1), from its comment; undefined when unmarked. */
export async function liveBranch(target: DatabaseTarget): Promise<string | undefined> {
  return withAdmin(target, async (client, app) => {
    await finishInterruptedRestore(client, app);
    const { rows } = await client.query<{ comment: string | null }>(
      "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
      [app],
    );
    try {
      return (JSON.parse(rows[0]?.comment ?? "") as { liveBranch?: string }).liveBranch;
    } catch {
      return undefined;
    }
  });
}

/** Marks the app database as holding the owner's branch's state: one statement, so a crash leaves the old mark or the new. */
export async function markLive(target: DatabaseTarget, owner: SnapshotOwner): Promise<void> {
  await withAdmin(target, async (client, app) => {
    await client.query(`comment on database ${quoteIdent(app)} is ${literal(liveMark(owner))}`);
  });
}

function liveMark(owner: SnapshotOwner): string {
  return JSON.stringify({ liveBranch: owner.branch ?? null });
}

function databaseName(name: string, kind: SnapshotKind): string {
  const prefix = { snapshot: SNAPSHOT_PREFIX, "restore-point": POINT_PREFIX, branch: BRANCH_PREFIX }[kind];
  return `${prefix}${name}`;
}

async function readSnapshot(client: pg.Client, name: string, kind: SnapshotKind): Promise<SnapshotInfo> {
  const { rows } = await client.query<{ comment: string | null; size: string }>(
    "select shobj_description(oid, 'pg_database') as comment, pg_database_size(oid) as size from pg_database where datname = $1",
    [databaseName(name, kind)],
  );
  const info = rows[0] ? parseInfo(rows[0].comment) : undefined;
  if (!info) {
    throw refused(
      `There is no ${{ snapshot: "snapshot", "restore-point": "restore point", branch: "branch state" }[kind]} "${name}" in this stack's database server.`,
      "Run `make snapshots` to list them.",
    );
  }
  return { ...info, sizeBytes: Number(rows[0]!.size) };
}

function parseInfo(comment: string | null): SnapshotInfo | undefined {
  try {
    const info = JSON.parse(comment ?? "") as SnapshotInfo;
    return typeof info.name === "string" && Array.isArray(info.migrations) ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Copies a database with the server's template copy. The source may have no other session: the API's pool holds
 * some, so they are ended first (the pool reconnects by itself) and the copy retried while one slips back in.
 */
async function copyDatabase(client: pg.Client, source: string, copy: string): Promise<void> {
  await withoutSessions(client, source, () =>
    client.query(`create database ${quoteIdent(copy)} template ${quoteIdent(source)}`),
  );
}

/**
 * Runs a statement that needs `database` to have no other session: new connections are refused meanwhile (else the
 * API's pool comes back and PostgreSQL waits up to 5 s for it), the open ones ended; `reopen` lets them in again.
 */
async function withoutSessions(
  client: pg.Client,
  database: string,
  statement: () => Promise<unknown>,
  reopen = true,
): Promise<void> {
  await client.query(`alter database ${quoteIdent(database)} allow_connections false`);
  try {
    for (let attempt = 0; ; attempt++) {
      await client.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [database],
      );
      try {
        await statement();
        return;
      } catch (error) {
        // 55006 object_in_use: an ended session had not left yet.
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await sleep(20);
      }
    }
  } finally {
    if (reopen) await client.query(`alter database ${quoteIdent(database)} allow_connections true`);
  }
}

async function renameIfExists(client: pg.Client, database: string, to: string): Promise<void> {
  const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
  if (!rowCount) return;
  const rename = () => client.query(`alter database ${quoteIdent(database)} rename to ${quoteIdent(to)}`);
  await withoutSessions(client, database, rename, false);
}

async function dropDatabase(client: pg.Client, database: string): Promise<void> {
  await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
}

/** A restore cut short between its two renames: the app database is missing (put the old one back) or both exist (drop the old). */
async function finishInterruptedRestore(client: pg.Client, app: string): Promise<void> {
  await dropDatabase(client, REPLACED);
  const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname = any($1)", [
    [app, OUTGOING],
  ]);
  const names = new Set(rows.map((row) => row.datname));
  if (!names.has(OUTGOING)) {
    if (names.has(app)) await client.query(`alter database ${quoteIdent(app)} allow_connections true`);
    return;
  }
  if (names.has(app)) await dropDatabase(client, OUTGOING);
  else await client.query(`alter database ${quoteIdent(OUTGOING)} rename to ${quoteIdent(app)}`);
  // Connections were refused while it was being swapped: a crash right then must not leave it closed.
  await client.query(`alter database ${quoteIdent(app)} allow_connections true`);
}

/** Ctrl-C (SIGINT, SIGTERM) waits until the work is done, so a swap of names is never left half-way by them. */
async function uninterrupted<T>(work: () => Promise<T>): Promise<T> {
  let signal: NodeJS.Signals | undefined;
  const hold = (received: NodeJS.Signals) => {
    signal = received;
  };
  process.on("SIGINT", hold);
  process.on("SIGTERM", hold);
  try {
    return await work();
  } finally {
    process.off("SIGINT", hold);
    process.off("SIGTERM", hold);
    if (signal) process.kill(process.pid, signal);
  }
}

async function appliedMigrations(target: DatabaseTarget): Promise<string[]> {
  return withClient(target, (client) => readAppliedMigrations(client));
}

async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ major: number }>(
    "select current_setting('server_version_num')::int / 10000 as major",
  );
  return rows[0]!.major;
}

async function databaseSize(client: pg.Client, database: string): Promise<number> {
  const { rows } = await client.query<{ size: string }>("select pg_database_size($1) as size", [database]);
  return Number(rows[0]!.size);
}

/** A connection to the server's maintenance database "postgres" (the app database is what gets copied and swapped). */
async function withAdmin<T>(target: DatabaseTarget, work: (client: pg.Client, app: string) => Promise<T>): Promise<T> {
  const url = new URL(target.url);
  const app = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  return withClient({ ...target, url: url.toString() }, (client) => work(client, app));
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function refused(what: string, next?: string): ZeroError {
  return new ZeroError("ZERO_SNAPSHOT_REFUSED", what, next ? { next } : {});
}
