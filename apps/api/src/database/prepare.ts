import { readFile, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { applyMigrations, applySeeds, migrationStatus, schemaFilesHash } from "@zero/database";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { Config } from "../config.js";

const CONNECT_DEADLINE_MS = 30_000;
// Errors that mean "the server is not there (yet)", worth waiting for; anything else (bad SQL) fails at once.
const TRANSIENT = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P03", "53300"]);
// The app's pool gives up on a connection or a query after 2 s (plugins/database.ts): at start-up, on a machine busy
// starting the whole stack, that is a reason to wait too. pg's errors for them carry no code.
const POOL_TIMEOUTS = new Set([
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
  "Query read timeout",
]);

/** Where the schema's status is read: the app's pool, or (the release step, no app) a connection of its own. */
export type StatusReader = Pick<pg.Pool, "query">;

// Brings the schema to the latest migration before the API listens, under node-pg-migrate's advisory lock (so
// several API instances or a concurrent `make migrate` take turns), and seeds once: only when this run found an
// empty database and AUTO_SEED is on. Running here rather than in the orchestrator works the same natively, in
// Compose and in Kubernetes (ADR 5). The server passes its pool: the status read then opens the connection its first
// readiness check uses, instead of one more connection before it listens and another for that check.
export async function prepareDatabase(config: Config, log: FastifyBaseLogger, pool?: StatusReader): Promise<void> {
  if (!config.migrationsDir) return;
  const migrationsDir = config.migrationsDir;
  if (!config.schemaMarker) return bringToLatest(config, migrationsDir, log, pool);
  // Under the dev runner: a hot-reload restart skips the check (a connection and a query, ~0.1 s of a restart
  // under load) when the migrations (names and contents) are those its previous start brought the schema to. A new
  // or edited file checks again; zero's commands that change the database behind the runner (migrate, rollback,
  // reset-db, restore-db, restore-snapshot, a branch switch) delete the marker (packages/zero/src/database/schema-markers.ts);
  // a new runner (every `make dev`, every supervisor restart) has no marker yet and always checks.
  const key = schemaFilesHash({ migrations: migrationsDir });
  if ((await readFile(config.schemaMarker, "utf8").catch(() => undefined)) === key) {
    log.info("migrations unchanged since this dev runner's last start: schema check skipped");
    return;
  }
  await bringToLatest(config, migrationsDir, log, pool);
  await writeFile(config.schemaMarker, key);
}

async function bringToLatest(
  config: Config,
  migrationsDir: string,
  log: FastifyBaseLogger,
  pool: StatusReader | undefined,
): Promise<void> {
  const deadline = Date.now() + CONNECT_DEADLINE_MS;
  for (;;) {
    try {
      const { applied, pending } = pool
        ? await migrationStatus(pool, migrationsDir)
        : await readStatus(config.databaseUrl, migrationsDir);
      if (pending.length === 0) {
        // The usual start: nothing to apply, so skip the runner and its lock (~0.1 s of start-up).
        log.info("schema is at the latest migration");
        return;
      }
      const names = await applyMigrations({
        databaseUrl: config.databaseUrl,
        dir: migrationsDir,
        log: (message) => log.debug({ migrations: message.trim() }, "migration runner"),
      });
      log.info({ applied: names }, `applied ${names.length} migration(s)`);
      if (applied.length === 0 && config.autoSeed && config.seedsDir) {
        const files = await applySeeds(config.databaseUrl, config.seedsDir);
        log.info({ files }, "seeded the new database (AUTO_SEED=true, first start)");
      }
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const waitable = code ? TRANSIENT.has(code) : POOL_TIMEOUTS.has((error as Error).message);
      if (!waitable || Date.now() > deadline) throw error;
      log.warn({ code: code ?? "timeout" }, "database not reachable yet; retrying the migrations in 1 s");
      await sleep(1_000);
    }
  }
}

async function readStatus(databaseUrl: string, dir: string) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "zero-api-migrate" });
  await client.connect();
  try {
    return await migrationStatus(client, dir);
  } finally {
    await client.end();
  }
}
