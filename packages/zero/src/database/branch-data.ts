import { listMigrationFiles } from "@zero/database";
import { ZeroError } from "../errors/zero-error.js";
import type { RestorePolicy } from "./restore-points.js";
import { nameFromBranch } from "./snapshots.js";
import type { DatabaseTarget } from "./target.js";

/**
 * branch_data=1: one database state per git branch. The app database's comment names the branch whose state it
 * holds; when that is not the checkout's branch, its state is saved under the old branch's name and the new
 * branch's is brought back (or, the first time a branch is seen, it goes on from a copy of the current one). Each
 * step is one atomic swap or mark, so a crash leaves the previous state and its mark, and the next run redoes it.
 * Returns the one line to print, or undefined when the database already follows the branch.
 */
export async function followBranch(target: DatabaseTarget, policy: RestorePolicy): Promise<string | undefined> {
  const { snapshots, owner } = policy;
  const branch = owner.branch ?? "default";
  const live = await snapshots.liveBranch(target);
  if (live === branch) return undefined;
  if (live === undefined) {
    await snapshots.markLive(target, owner);
    return `branch data: the database now follows branch "${branch}" (one state per branch; branch_data=1)`;
  }
  const saved = (await snapshots.list(target)).find(
    (info) => info.kind === "branch" && info.project === owner.project && info.name === nameFromBranch(branch),
  );
  if (saved) await refuseIfAhead(target, branch, saved.migrations);
  await snapshots.take(target, { ...owner, branch: live }, nameFromBranch(live), "branch");
  if (!saved) {
    await snapshots.markLive(target, owner);
    return `branch data: saved "${live}"'s database state; "${branch}" starts from a copy of it`;
  }
  await snapshots.restore(target, owner, saved.name, "branch");
  return `branch data: saved "${live}"'s database state and brought back "${branch}"'s (saved ${saved.createdAt.replace("T", " ").slice(0, 19)})`;
}

/** A saved state with migrations this branch's code does not have cannot be migrated forward: refused, by name. */
async function refuseIfAhead(target: DatabaseTarget, branch: string, migrations: string[]): Promise<void> {
  const files = new Set(await listMigrationFiles(target.migrationsDir));
  const ahead = migrations.filter((name) => !files.has(name));
  if (ahead.length === 0) return;
  throw new ZeroError(
    "ZERO_SNAPSHOT_REFUSED",
    `Branch "${branch}"'s saved database state has ${ahead.length} migration(s) this checkout's code does not: ${ahead.join(", ")}; nothing was changed.`,
    {
      why: "A database state ahead of the code cannot be migrated forward, and zero never undoes a migration by itself.",
      next: `Bring those migration files into "${branch}" (git merge), or drop that state (\`make drop-snapshot name=${nameFromBranch(branch)}\`) to start "${branch}" from the current one.`,
    },
  );
}
