import { migrationStatus } from "@zero/database";
import type pg from "pg";

// Readiness of the schema: rejects, naming the first pending migration, while the database lacks any migration
// file of the folder (read on every check, so a migration added while the API runs shows up at once).
export async function checkSchema(pool: Pick<pg.Pool, "query">, migrationsDir: string): Promise<void> {
  const { pending } = await migrationStatus(pool, migrationsDir);
  if (pending.length > 0) {
    throw new Error(`schema is not at the latest migration: ${pending.length} pending (first: ${pending[0]}); run \`make migrate\``);
  }
}
