import { pino } from "pino";
import { ConfigError, loadConfig } from "./config.js";
import { prepareDatabase } from "./database/prepare.js";
import { buildLoggerOptions } from "./logger.js";

// The release step on Kubernetes (the api pods' `migrate` init container, ADR 15): the same prepareDatabase the
// server runs before it listens (node-pg-migrate under its advisory lock, the code `make migrate` runs), then
// exit 0; or exit 1 with the reason as the last log line, which `make deploy` shows. The API container that
// starts after it finds nothing pending.
const log = pino(buildLoggerOptions("info"));
try {
  const config = loadConfig();
  if (!config.migrationsDir) throw new ConfigError("Invalid API environment: MIGRATIONS_DIR is required to migrate");
  await prepareDatabase(config, log);
} catch (error) {
  if (error instanceof ConfigError) log.fatal({ code: error.code }, error.message);
  else log.fatal({ err: error }, "could not bring the database schema to the latest migration");
  process.exit(1);
}
