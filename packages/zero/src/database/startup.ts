import type { Project } from "../config/project.js";
import type { ServiceDriver } from "../orchestrate/start-all.js";
import type { DependencyCondition } from "../stack/schema.js";
import { currentBranch } from "../stacks/git-branch.js";
import type { SnapshotOwner } from "./snapshots.js";
import { type DatabaseTarget, databaseTarget } from "./target.js";
import type { SnapshotCapability } from "./template-snapshots.js";

/** How many restore points a project keeps when ZERO_RESTORE_POINTS does not say. */
export const DEFAULT_RESTORE_POINTS = 5;

/** ZERO_RESTORE_POINTS from .env or the environment: a whole number ≥ 1, else the default. */
export function restorePointLimit(value: string | undefined): number {
  const keep = Number(value);
  return Number.isInteger(keep) && keep >= 1 ? keep : DEFAULT_RESTORE_POINTS;
}

/** What a start-up does to the database once it is healthy and before what depends on it starts (plain data: IPC). */
export interface StartupDatabase {
  target: DatabaseTarget;
  owner: SnapshotOwner;
  /** Restore points to keep (ZERO_RESTORE_POINTS). */
  keep: number;
  /** branch_data=1: bring this branch's database state first (docs/database.md). */
  branchData: boolean;
}

/**
 * Brings the branch's state (branch_data=1), then migrates behind a restore point. An empty database is left to the
 * application, which migrates and seeds it; with nothing pending this is one query (two with branch_data).
 */
export async function prepareDatabase(
  database: StartupDatabase,
  snapshots: SnapshotCapability,
  note: (line: string) => void,
): Promise<void> {
  const { target, owner, keep } = database;
  const policy = { snapshots, owner, keep };
  // Loaded here, not at the top: the CLI's `up` and the supervisor import this file, and pg is not free to load.
  const { migrateWithRestorePoint } = await import("./restore-points.js");
  if (database.branchData) {
    const line = await (await import("./branch-data.js")).followBranch(target, policy);
    if (line) note(line);
  }
  const { applied, point } = await migrateWithRestorePoint(target, policy, { skipEmpty: true });
  if (point) {
    note(`restore point "${point.name}" taken, then applied ${applied.join(", ")} (\`make rollback\` goes back)`);
  }
}

/** The project's database as a start-up sees it; undefined for a profile without a database with migrations. */
export function startupDatabase(project: Project): StartupDatabase | undefined {
  const service = Object.values(project.stack.services).find((candidate) => candidate.database);
  if (!service) return undefined;
  const values = project.variables.values;
  return {
    target: databaseTarget(project),
    owner: { project: project.stack.name, branch: currentBranch(project.root) },
    keep: restorePointLimit(values.ZERO_RESTORE_POINTS),
    branchData: ["1", "true", "yes"].includes((values.ZERO_BRANCH_DATA ?? "").toLowerCase()),
  };
}

/**
 * Resolves once the database answers: at once after a healthy check (what `healthy` waits for), else (`started`:
 * the dependent may start before PostgreSQL answers) by connecting until it does, since migrating needs it to.
 */
async function answering(target: DatabaseTarget, condition: DependencyCondition, signal: AbortSignal): Promise<void> {
  if (condition === "healthy") return;
  const { waitForDatabase } = await import("./connect.js");
  await waitForDatabase(target, STARTED_DATABASE_WAIT_MS, signal);
}

// How long a `started` dependent waits for the database to answer before the start fails (as a health check's
// default deadline would).
const STARTED_DATABASE_WAIT_MS = 60_000;

/**
 * A driver that prepares the database (prepareDatabase) once, before the first service that depends on it starts:
 * after PostgreSQL is healthy, before the API would migrate it. Every runtime that starts through startAll uses it.
 */
export function preparingDatabase(
  driver: ServiceDriver,
  database: StartupDatabase | undefined,
  snapshots: SnapshotCapability,
  note: (line: string) => void,
): ServiceDriver {
  if (!database) return driver;
  let prepared: Promise<void> | undefined;
  return {
    start: async (service, signal) => {
      // pg and the migration code load (~50 ms of CPU) while PostgreSQL starts, not once it is healthy, where they
      // held back what depends on it; prepareDatabase's own import then finds them loaded.
      if (service.name === database.target.service.name) import("./restore-points.js").catch(() => {});
      const dependency = service.depends_on[database.target.service.name];
      if (dependency) {
        prepared ??= answering(database.target, dependency.condition, signal).then(() =>
          prepareDatabase(database, snapshots, note),
        );
        await prepared;
        signal.throwIfAborted();
      }
      return driver.start(service, signal);
    },
    // Launching early needs no database: only the release (start) waits for the preparation.
    ...(driver.spawnEarly && { spawnEarly: (service, signal) => driver.spawnEarly!(service, signal) }),
    exited: (service) => driver.exited(service),
    probe: (service) => driver.probe(service),
    logTail: (service, lines) => driver.logTail(service, lines),
  };
}
