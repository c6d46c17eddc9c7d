import { relative } from "node:path";
import { applyMigrations, applySeeds, createMigrationFile, type MigrationFailureFacts, recreateDatabase } from "@zero/database";
import { ZeroError } from "../errors/zero-error.js";
import { withClient } from "./connect.js";
import type { DatabaseTarget } from "./target.js";

/** `zero db migrate`: applies pending migrations (in one transaction, under the advisory lock); returns their names. */
export async function migrate(target: DatabaseTarget): Promise<string[]> {
  await withClient(target, async () => {}); // a stopped server is "unreachable", not a failed migration
  try {
    return await applyMigrations({ databaseUrl: target.url, dir: target.migrationsDir });
  } catch (cause) {
    const { file, statement } = cause as MigrationFailureFacts;
    const where = file ? ` in ${relative(process.cwd(), file).startsWith("..") ? file : relative(process.cwd(), file)}${statement ? ` at \`${statement.slice(0, 160)}\`` : ""}` : "";
    throw new ZeroError("ZERO_MIGRATION_FAILED", `A migration failed${where}; none of the pending ones was applied: ${(cause as Error).message}`, {
      cause,
      next: file ? `Fix ${file}${statement ? ` (the statement \`${statement.slice(0, 160)}\`)` : ""}, then \`make migrate\` again.` : undefined,
    });
  }
}

/** `zero db seed`: runs every seed file in one transaction; returns the files. */
export async function seed(target: DatabaseTarget): Promise<string[]> {
  if (!target.seedsDir) return [];
  await withClient(target, async () => {});
  try {
    return await applySeeds(target.url, target.seedsDir);
  } catch (cause) {
    throw new ZeroError("ZERO_SEED_FAILED", `Seeding failed and was rolled back: ${(cause as Error).message}`, { cause });
  }
}

/** `zero db reset`: drop, create, migrate, and seed unless told not to. */
export async function reset(target: DatabaseTarget, options: { seed: boolean }) {
  await withClient(target, async () => {});
  await recreateDatabase(target.url);
  const migrations = await migrate(target);
  const seeds = options.seed ? await seed(target) : [];
  return { migrations, seeds };
}

/** `zero db new <name>`: an empty migration from the template; returns its path. */
export async function newMigration(target: DatabaseTarget, name: string | undefined): Promise<string> {
  if (!name || !/^[a-z0-9][a-z0-9_-]*$/i.test(name)) {
    throw new ZeroError("ZERO_USAGE", `A migration needs a name of letters, digits, - and _ (got "${name ?? ""}").`, {
      next: "Run `make migrate-new name=add-artist-rates`.",
    });
  }
  return createMigrationFile(target.migrationsDir, name);
}
