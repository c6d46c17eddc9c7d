import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { migrationStatus, readAppliedMigrations } from "@zero/database";
import type { Project } from "../config/project.js";
import { waitForDatabase, withClient } from "../database/connect.js";
import type { DatabaseTarget } from "../database/target.js";
import { ZeroError } from "../errors/zero-error.js";
import { extractArchive } from "./archive.js";
import { assertRestorable, MANIFEST_FILE, manifestSchema, type Manifest } from "./manifest.js";
import { failed, pgDump, pgRestore, psql, type PostgresShell, serverMajor } from "./postgres-shell.js";
import { backupStaging, newBackupFile, sealBackup } from "./store.js";

/** The running PostgreSQL container a container runtime backs up through. */
export interface DumpSource {
  /** The runtime's name, written into the manifest (a restore checks it). */
  runtime: string;
  /**
   * Finds the running container (throwing when there is none) and returns its shell and where it is, for
   * messages ("the postgres container", "pod postgres-0").
   */
  open: () => Promise<{ shell: PostgresShell; where: string }>;
}

/**
 * A logical backup through the running PostgreSQL container (compose, kubernetes): pg_dump (custom format)
 * into the same <home>/backups store as native's, with a manifest naming the runtime and the server's version.
 * The server keeps running; pg_dump reads one consistent snapshot.
 */
export async function createDumpBackup(
  project: Project,
  source: DumpSource,
  target: DatabaseTarget,
  note: (message: string) => void,
) {
  const { shell, where } = await source.open();
  const pgVersion = await serverMajor(shell, where);
  const migrations = await withClient(target, (client) => readAppliedMigrations(client)).catch(() => null);
  const file = newBackupFile(project);
  const staging = backupStaging(file);
  try {
    note(`pg_dump of "${target.service.env.POSTGRES_DB}" through ${where}`);
    const dump = await pgDump(shell, join(staging, `${target.service.name}.dump`));
    if (dump.exitCode !== 0) throw failed("dump the database", where, dump);
    const manifest: Manifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      runtime: source.runtime,
      contents: "pg_dump",
      service: target.service.name,
      pgVersion,
      database: target.service.env.POSTGRES_DB ?? "postgres",
      migrations,
      sizeBytes: 0,
    };
    return {
      file,
      manifest: await sealBackup(file, staging, manifest, [{ from: staging, path: `${target.service.name}.dump` }]),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Restores a pg_dump backup into a scratch database first; only when that fully worked is it swapped in
 * for the current one (renamed, in one transaction). A failure leaves the current database untouched.
 */
export async function restoreDumpBackup(
  project: Project,
  source: DumpSource,
  target: DatabaseTarget,
  file: string,
  note: (message: string) => void,
) {
  const archive = resolve(file);
  const scratch = mkdtempSync(join(project.home, ".restore-"));
  const database = target.service.env.POSTGRES_DB ?? "postgres";
  const refuse = (what: string) =>
    new ZeroError("ZERO_RESTORE_FAILED", `${archive} is not a usable backup: ${what}. Nothing was changed.`);
  try {
    try {
      await extractArchive(archive, scratch);
    } catch {
      throw refuse("it does not exist or cannot be extracted");
    }
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(readFileSync(join(scratch, MANIFEST_FILE), "utf8")));
    } catch {
      throw refuse(`its ${MANIFEST_FILE} is missing or invalid`);
    }
    assertRestorable(archive, manifest, source.runtime, "pg_dump");
    if (manifest.database !== database)
      throw refuse(`it holds database "${manifest.database}", this stack uses "${database}"`);
    const { shell, where } = await source.open();
    const running = await serverMajor(shell, where);
    if (Number(manifest.pgVersion) > Number(running)) {
      throw refuse(
        `it was dumped from PostgreSQL ${manifest.pgVersion}; this stack runs ${running}, whose pg_restore cannot read a newer dump`,
      );
    }
    const incoming = `${database}__restore`;
    const previous = `${database}__before_restore`;
    const names = { db: database, incoming, previous, owner: target.service.env.POSTGRES_USER ?? "postgres" };
    await sql(
      shell,
      'DROP DATABASE IF EXISTS :"incoming" WITH (FORCE);\nCREATE DATABASE :"incoming" OWNER :"owner";\n',
      names,
    );
    note(`pg_restore into a scratch database (${incoming})`);
    const restored = await pgRestore(shell, join(scratch, `${manifest.service}.dump`), incoming);
    if (restored.exitCode !== 0) {
      await sql(shell, 'DROP DATABASE IF EXISTS :"incoming" WITH (FORCE);\n', names).catch(() => {});
      throw new ZeroError("ZERO_RESTORE_FAILED", `pg_restore failed; "${database}" is unchanged.`, {
        details: String(restored.stderr).trim().split("\n").slice(-10),
      });
    }
    note(`swapping it in for "${database}" (open connections to it are closed)`);
    await sql(
      shell,
      [
        'ALTER DATABASE :"db" ALLOW_CONNECTIONS false;',
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid();",
        "SELECT pg_sleep(0.2);",
        "BEGIN;",
        'ALTER DATABASE :"db" RENAME TO :"previous";',
        'ALTER DATABASE :"incoming" RENAME TO :"db";',
        "COMMIT;",
        'DROP DATABASE :"previous" WITH (FORCE);',
        "",
      ].join("\n"),
      names,
    ).catch(async (error) => {
      await sql(shell, 'ALTER DATABASE :"db" ALLOW_CONNECTIONS true;\n', names).catch(() => {});
      throw error;
    });
    await waitForDatabase(target);
    const { pending } = await withClient(target, (client) => migrationStatus(client, target.migrationsDir));
    return { manifest, verified: true, pending };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function sql(shell: PostgresShell, text: string, variables: Record<string, string>) {
  const result = await psql(shell, text, variables);
  if (result.exitCode !== 0) {
    throw new ZeroError("ZERO_RESTORE_FAILED", "PostgreSQL refused a step of the restore.", {
      details: String(result.stderr).trim().split("\n").slice(-10),
    });
  }
  return result;
}
