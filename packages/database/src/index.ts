// The database lifecycle shared by the API (migrate at start, readiness) and the zero CLI (make migrate, seed,
// reset-db): one implementation, so both apply migrations the same way and agree on what "latest" means.
export { MIGRATIONS_TABLE, applyMigrations, createMigrationFile, listMigrationFiles, migrationStatus, readAppliedMigrations, type ApplyMigrationsOptions, type MigrationFailureFacts, type MigrationStatus } from "./migrations.js";
export { applySeeds } from "./seeds.js";
export { recreateDatabase, quoteIdent } from "./reset.js";
export { schemaFilesHash } from "./schema-files.js";
