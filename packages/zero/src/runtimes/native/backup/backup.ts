import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { readAppliedMigrations } from "@zero/database";
import type { Project } from "../../../config/project.js";
import { waitForDatabase, withClient } from "../../../database/connect.js";
import type { DatabaseTarget } from "../../../database/target.js";
import { ZeroError } from "../../../errors/zero-error.js";
import { removeTree } from "../../../files/remove-tree.js";
import { serviceDataDir } from "../data-dir.js";
import type { Manifest } from "../../../backups/manifest.js";
import { backupStaging, newBackupFile, sealBackup } from "../../../backups/store.js";
import { runningPostgres } from "./control.js";

/**
 * A consistent physical copy of the STOPPED data directory as <home>/backups/<timestamp>.tar.gz (ADR 6). A running
 * PostgreSQL is stopped through the supervisor for the copy (seconds for a development database) and started again.
 */
export async function createBackup(project: Project, target: DatabaseTarget, note: (message: string) => void) {
  const dataDir = serviceDataDir(project.home, target.service.name);
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    throw new ZeroError("ZERO_BACKUP_FAILED", `There is no database to back up in ${dataDir}.`, {
      why: "The data directory is created on the first `make dev`.",
      next: "Run `make dev` first.",
    });
  }
  const postgres = runningPostgres(project, target.service.name);
  const migrations = postgres ? await withClient(target, (client) => readAppliedMigrations(client)) : null;
  const file = newBackupFile(project);
  const staging = backupStaging(file);
  if (postgres) {
    note(`stopping ${target.service.name} for a consistent copy`);
    await postgres.stop();
  }
  try {
    if (existsSync(join(dataDir, "postmaster.pid"))) {
      throw new ZeroError("ZERO_BACKUP_FAILED", `PostgreSQL still runs on ${dataDir} (postmaster.pid is present), outside zero's control.`, {
        why: "A copy of a running server's files is not consistent.",
        next: "Stop that server (`make down`), then run `make backup-db` again.",
      });
    }
    const manifest: Manifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      runtime: "native",
      contents: "data-directory",
      service: target.service.name,
      pgVersion: readFileSync(join(dataDir, "PG_VERSION"), "utf8").trim(),
      database: target.service.env.POSTGRES_DB ?? "postgres",
      migrations,
      sizeBytes: 0,
    };
    return { file, manifest: await sealBackup(file, staging, manifest, [{ from: join(dataDir, ".."), path: basename(dataDir) }]) };
  } catch (cause) {
    if ((cause as ZeroError).name === "ZeroError") throw cause;
    throw new ZeroError("ZERO_BACKUP_FAILED", `Could not write the backup ${file}: ${(cause as Error).message}`, { cause });
  } finally {
    removeTree(staging, [project.home]);
    if (postgres) await startAgain(postgres, target, note);
  }
}

// Runs after the copy whether or not it worked; a failure to start is reported as a note, so the copy's own
// error (if any) is the one the user sees, and `make status` / `make logs` take it from there.
async function startAgain(postgres: NonNullable<ReturnType<typeof runningPostgres>>, target: DatabaseTarget, note: (message: string) => void) {
  try {
    await postgres.start();
    await waitForDatabase(target);
    note(`${target.service.name} is running again`);
  } catch (error) {
    note(`WARNING: ${target.service.name} did not come back (${(error as Error).message}); run \`make logs service=${target.service.name}\``);
  }
}
