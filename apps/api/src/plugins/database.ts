import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import pg from "pg";
import { checkSchema } from "../database/schema-check.js";
import type { Probe } from "../health/readiness.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The app's PostgreSQL pool: the server reads the schema's status through it before it listens (server.ts). */
    database: pg.Pool;
  }
}

const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 2_000;
const DEBUG_LEVELS = new Set(["debug", "trace"]);

// Opens a PostgreSQL pool that survives the database being down or restarting (pg connects lazily and
// a lost idle client is only logged), closes it with the app, and returns it with the readiness probe for it
// (with a migrations folder, the probe also fails while the schema is behind the latest migration).
export function registerDatabase(
  app: FastifyInstance,
  databaseUrl: string,
  mask: (text: string) => string,
  migrationsDir?: string,
): { pool: pg.Pool; probe: Probe } {
  const pool = new pg.Pool({
    Client: queryLoggingClient(app.log, mask),
    connectionString: databaseUrl,
    max: 5,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    application_name: "zero-api",
  });
  pool.on("error", (error) => app.log.warn({ error: mask(error.message) }, "database connection lost"));
  app.decorate("database", pool);
  app.addHook("onClose", async () => {
    await pool.end();
  });
  // One round trip: reading the applied migrations proves the database answers as well as `select 1` does.
  const probe: Probe = async () => {
    if (migrationsDir) await checkSchema(pool, migrationsDir);
    else await pool.query("select 1");
  };
  return { pool, probe };
}

// Every query through the pool (pool.query and checked-out clients alike) logged at DEBUG with its duration;
// the SQL text only, never the parameter values (they may be personal data or secrets).
function queryLoggingClient(log: FastifyBaseLogger, mask: (text: string) => string): typeof pg.Client {
  return class extends pg.Client {
    // One untyped override of pg's many query() overloads; arguments and result pass through unchanged.
    override query(config: unknown, ...rest: unknown[]): any {
      if (!DEBUG_LEVELS.has(log.level)) {
        // @ts-expect-error passed through unchanged
        return super.query(config, ...rest);
      }
      const sql = typeof config === "string" ? config : (config as { text?: string } | null)?.text;
      const started = performance.now();
      const done = (error?: Error | null) => {
        const durationMs = Math.round((performance.now() - started) * 10) / 10;
        if (error) log.debug({ sql, durationMs, error: mask(error.message) }, "database query failed");
        else log.debug({ sql, durationMs }, "database query");
      };
      // pool.query() hands the client a callback; direct client.query() calls get a promise.
      const last = rest.at(-1);
      if (typeof last === "function") {
        rest[rest.length - 1] = (error: Error | null, ...results: unknown[]) => {
          done(error);
          last(error, ...results);
        };
      }
      // @ts-expect-error passed through unchanged
      const result = super.query(config, ...rest) as unknown;
      if (result instanceof Promise) result.then(() => done(), done);
      return result;
    }
  };
}
