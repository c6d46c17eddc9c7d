import type { Project } from "../config/project.js";
import { migrate, seed } from "./lifecycle.js";
import { type MigrationOutcome, migrateWithRestorePoint, type RestorePolicy } from "./restore-points.js";
import { forgetSchemaChecks } from "./schema-markers.js";
import { startupDatabase } from "./startup.js";
import { databaseTarget } from "./target.js";
import type { SnapshotCapability } from "./template-snapshots.js";

// `make migrate` and `make seed`, whoever asks: the CLI (`zero db migrate`, `zero db seed`) and the agent's tools
// (`zero mcp`) call these and nothing below them, so the two can never take different paths again.

/** What the operations need of the runtime that runs the stack; a Runtime is one. */
export interface DatabaseHost {
  readonly capabilities: { readonly snapshots?: SnapshotCapability };
  /** Refuses (ZERO_DATABASE_UNSUPERVISED) while the database runs outside the runtime's control. */
  assertDatabaseSupervised?(project: Project, service: string): void;
}

/**
 * Applies the pending migrations: refused on an unsupervised database; behind a restore point where the runtime
 * takes snapshots (a failure puts the database back; `make rollback` returns to the point); and then, failed or
 * not, the API dev runner's schema-check marker is deleted: a put-back is a database swap behind the runner, like
 * a rollback, so its next hot reload checks the schema again rather than trusting its last check.
 */
export async function migrateDatabase(project: Project, host: DatabaseHost): Promise<MigrationOutcome> {
  const target = databaseTarget(project);
  host.assertDatabaseSupervised?.(project, target.service.name);
  try {
    const policy = restorePolicy(project, host);
    return policy ? await migrateWithRestorePoint(target, policy) : { applied: await migrate(target) };
  } finally {
    forgetSchemaChecks(project);
  }
}

/** Runs every seed file in one transaction (idempotent); refused on an unsupervised database. Returns the files. */
export async function seedDatabase(project: Project, host: DatabaseHost): Promise<string[]> {
  const target = databaseTarget(project);
  host.assertDatabaseSupervised?.(project, target.service.name);
  return seed(target);
}

/** Restore points need a runtime that takes snapshots and a database with migrations; elsewhere there are none. */
export function restorePolicy(project: Project, host: DatabaseHost): RestorePolicy | undefined {
  const snapshots = host.capabilities.snapshots;
  const database = startupDatabase(project);
  return snapshots && database ? { snapshots, owner: database.owner, keep: database.keep } : undefined;
}
