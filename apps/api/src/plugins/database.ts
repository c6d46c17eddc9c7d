import type { FastifyInstance } from "fastify";
import pg from "pg";
import type { Probe } from "../health/readiness.js";

const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 2_000;

// Opens a PostgreSQL pool that survives the database being down or restarting (pg connects lazily and
// a lost idle client is only logged), closes it with the app, and returns the readiness probe for it.
export function registerDatabase(app: FastifyInstance, databaseUrl: string, mask: (text: string) => string): Probe {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 5,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    application_name: "zero-api",
  });
  pool.on("error", (error) => app.log.warn({ error: mask(error.message) }, "database connection lost"));
  app.addHook("onClose", async () => {
    await pool.end();
  });
  return async () => {
    await pool.query("select 1");
  };
}
