import { migrationStatus } from "@zero/database";
import { isZeroError, ZeroError } from "../errors/zero-error.js";
import { withClient } from "./connect.js";
import { migrate } from "./lifecycle.js";
import type { SnapshotInfo, SnapshotOwner } from "./snapshots.js";
import type { DatabaseTarget } from "./target.js";
import type { SnapshotCapability } from "./template-snapshots.js";

/** What taking restore points needs: the snapshot capability, who takes them, and how many to keep. */
export interface RestorePolicy {
  snapshots: SnapshotCapability;
  owner: SnapshotOwner;
  keep: number;
}

export interface MigrationOutcome {
  applied: string[];
  /** The restore point taken before migrating (none when nothing was pending, or the database was empty). */
  point?: SnapshotInfo;
}

/**
 * `make migrate` and a migration at start-up: a restore point first, then the migrations; when they fail, the
 * database is put back to the restore point (a transaction does not undo everything: sequences, statements that
 * run outside one) and the error says so. Nothing pending costs one query; an empty database (the first start,
 * which the API migrates and seeds) needs no restore point: there is nothing to go back to.
 */
export async function migrateWithRestorePoint(
  target: DatabaseTarget,
  policy: RestorePolicy,
  options: { skipEmpty?: boolean } = {},
): Promise<MigrationOutcome> {
  const status = await withClient(target, (client) => migrationStatus(client, target.migrationsDir));
  if (status.pending.length === 0) return { applied: [] };
  if (status.applied.length === 0) return options.skipEmpty ? { applied: [] } : { applied: await migrate(target) };
  const point = await policy.snapshots.take(target, policy.owner, restorePointName(), "restore-point");
  try {
    const applied = await migrate(target);
    await pruneRestorePoints(target, policy);
    return { applied, point };
  } catch (error) {
    await policy.snapshots.restore(target, policy.owner, point.name, "restore-point");
    await policy.snapshots.drop(target, point.name, "restore-point");
    const what = isZeroError(error) ? error.message : (error as Error).message;
    throw new ZeroError(
      isZeroError(error) ? error.code : "ZERO_MIGRATION_FAILED",
      `${what} The database was put back as it was before (restore point ${point.name}).`,
      { cause: error, next: isZeroError(error) ? error.next : undefined },
    );
  }
}

/** The project's restore points, oldest first. */
export async function restorePoints(target: DatabaseTarget, policy: RestorePolicy): Promise<SnapshotInfo[]> {
  const all = await policy.snapshots.list(target);
  return all.filter((info) => info.kind === "restore-point" && info.project === policy.owner.project);
}

/** The latest restore point and the migrations going back to it undoes (applied now, not then). */
export async function planRollback(
  target: DatabaseTarget,
  policy: RestorePolicy,
): Promise<{ point: SnapshotInfo; undoes: string[] }> {
  const point = (await restorePoints(target, policy)).at(-1);
  if (!point) {
    throw new ZeroError("ZERO_SNAPSHOT_REFUSED", "There is no restore point to roll back to; nothing was changed.", {
      next: "`make migrate` takes one before it applies a migration; `make snapshots` lists them.",
    });
  }
  const applied = (await withClient(target, (client) => migrationStatus(client, target.migrationsDir))).applied;
  const then = new Set(point.migrations);
  return { point, undoes: applied.filter((name) => !then.has(name)) };
}

/** Puts the database back to the restore point, then drops it: the next rollback goes one further back. */
export async function rollbackTo(target: DatabaseTarget, policy: RestorePolicy, point: SnapshotInfo): Promise<void> {
  await policy.snapshots.restore(target, policy.owner, point.name, "restore-point");
  await policy.snapshots.drop(target, point.name, "restore-point");
}

async function pruneRestorePoints(target: DatabaseTarget, policy: RestorePolicy): Promise<void> {
  const points = await restorePoints(target, policy);
  for (const old of points.slice(0, Math.max(0, points.length - policy.keep))) {
    await policy.snapshots.drop(target, old.name, "restore-point");
  }
}

/** before-migrate-20261202-193005-123: sorts by time, unique to the millisecond. */
function restorePointName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").replace(".", "-").replace("Z", "");
  return `before-migrate-${stamp}`;
}
