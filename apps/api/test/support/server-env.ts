import { inject } from "vitest";
import "./provided-context.js";

/** What the server needs: the test databases, any free port on loopback. */
export function serverEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: inject("databaseUrl"),
    REDIS_URL: inject("redisUrl"),
    LOG_LEVEL: "INFO",
  };
}
