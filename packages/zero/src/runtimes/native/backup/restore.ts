import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { migrationStatus } from "@zero/database";
import type { Project } from "../../../config/project.js";
import { waitForDatabase, withClient } from "../../../database/connect.js";
import type { DatabaseTarget } from "../../../database/target.js";
import { ZeroError } from "../../../errors/zero-error.js";
import { ensureSystemUser, isRoot } from "../os-user.js";
import { removeTree } from "../../../files/remove-tree.js";
import { serviceDataDir } from "../data-dir.js";
import { dataPlaces } from "../service-user-place.js";
import { extractArchive } from "../../../backups/archive.js";
import { assertRestorable, MANIFEST_FILE, manifestSchema, type Manifest } from "../../../backups/manifest.js";
import { runningPostgres, type RunningPostgres } from "./control.js";
import { foreignEntries, ownServerConfiguration } from "./restored-configuration.js";

const VERIFY_TIMEOUT_MS = 60_000;

/**
 * Replaces the data directory with a backup's. The archive is extracted and checked in a scratch folder first,
 * so a damaged file fails before anything is touched; the current directory is only moved aside, and put back
 * (and started) if the restored one does not come up and answer a query.
 */
export async function restoreBackup(project: Project, target: DatabaseTarget, file: string, note: (message: string) => void) {
  const archive = resolve(file);
  const dataDir = serviceDataDir(project.home, target.service.name);
  // Every delete below stays in the project's own data places (a link that leads elsewhere is refused).
  const remove = (path: string) => removeTree(path, dataPlaces(project.root, project.home));
  const scratch = mkdtempSync(join(dataDir, "..", ".restore-"));
  try {
    const { manifest, restored, dropped } = await unpack(archive, scratch, target, dataDir);
    if (dropped.length > 0) {
      note(`not restored from the backup's server configuration (zero's own is used):\n  ${dropped.join("\n  ")}`);
    }
    const postgres = runningPostgres(project, target.service.name);
    if (postgres) {
      note(`stopping ${target.service.name}`);
      await postgres.stop();
    }
    const previous = `${dataDir}.before-restore`;
    remove(previous);
    if (existsSync(dataDir)) renameSync(dataDir, previous);
    renameSync(restored, dataDir);
    if (!postgres) {
      remove(previous);
      note(`the stack is not running: the restored database is used from the next \`make dev\``);
      return { manifest, verified: false, pending: [] as string[] };
    }
    try {
      await postgres.start();
      await waitUntilUp(target, postgres);
      const { pending } = await withClient(target, (client) => migrationStatus(client, target.migrationsDir));
      remove(previous);
      return { manifest, verified: true, pending };
    } catch (cause) {
      note(`the restored database did not come up: putting the previous one back`);
      await postgres.stop();
      remove(dataDir);
      if (existsSync(previous)) renameSync(previous, dataDir);
      await postgres.start();
      await waitForDatabase(target, VERIFY_TIMEOUT_MS);
      throw new ZeroError("ZERO_RESTORE_FAILED", `The restored database did not start: ${(cause as Error).message}. The previous database is back in place and running.`, { cause });
    }
  } finally {
    remove(scratch);
  }
}

/** Resolves once the restored server answers a query; rejects as soon as it crashes, or after the deadline. */
async function waitUntilUp(target: DatabaseTarget, postgres: RunningPostgres): Promise<void> {
  const deadline = Date.now() + VERIFY_TIMEOUT_MS;
  for (;;) {
    try {
      return await withClient(target, async (client) => void (await client.query("select 1")));
    } catch (error) {
      const failure = await postgres.failure();
      if (failure) throw new Error(`PostgreSQL exited (${failure}); see \`make logs service=${target.service.name}\``);
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

/** Extracts into scratch and validates manifest and data directory; returns the folder ready to move in. */
async function unpack(archive: string, scratch: string, target: DatabaseTarget, dataDir: string) {
  const refuse = (what: string, cause?: unknown) =>
    new ZeroError("ZERO_RESTORE_FAILED", `${archive} is not a usable backup: ${what}. Nothing was changed.`, { cause });
  if (!existsSync(archive)) throw refuse("the file does not exist");
  try {
    await extractArchive(archive, scratch);
  } catch (cause) {
    throw refuse(`it cannot be extracted (${lastLine(cause)})`, cause);
  }
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(join(scratch, MANIFEST_FILE), "utf8")));
  } catch (cause) {
    throw refuse(`its ${MANIFEST_FILE} is missing or invalid`, cause);
  }
  assertRestorable(archive, manifest, "native", "data-directory");
  const restored = join(scratch, manifest.service);
  if (!existsSync(join(restored, "PG_VERSION"))) throw refuse(`it has no ${manifest.service}/PG_VERSION (not a PostgreSQL data directory)`);
  const version = readFileSync(join(restored, "PG_VERSION"), "utf8").trim();
  if (version !== manifest.pgVersion) throw refuse(`PG_VERSION ${version} does not match its manifest (${manifest.pgVersion})`);
  const current = existsSync(join(dataDir, "PG_VERSION")) ? readFileSync(join(dataDir, "PG_VERSION"), "utf8").trim() : manifest.pgVersion;
  if (version !== current) throw refuse(`it holds PostgreSQL ${version} data, this stack runs ${current}`);
  if (manifest.database !== (target.service.env.POSTGRES_DB ?? "postgres")) {
    throw refuse(`it holds database "${manifest.database}", this stack uses "${target.service.env.POSTGRES_DB}"`);
  }
  const foreign = foreignEntries(restored);
  if (foreign.length > 0) {
    throw refuse(`its data directory holds what PostgreSQL does not write (links, devices or unknown files): ${foreign.slice(0, 5).join(", ")}`);
  }
  const dropped = ownServerConfiguration(restored);
  // PostgreSQL refuses a data directory that others can read, or that its own (unprivileged) user does not own.
  chmodSync(restored, 0o700);
  if (isRoot()) {
    const owner = await ensureSystemUser("postgres");
    await execa("chown", ["-R", `${owner.uid}:${owner.gid}`, restored]);
  }
  return { manifest, restored, dropped };
}

function lastLine(error: unknown): string {
  const text = String((error as { all?: string; message?: string }).all ?? (error as Error).message ?? error);
  return text.trim().split("\n").at(-1) ?? "tar failed";
}
