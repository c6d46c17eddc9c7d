import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { ZeroError } from "../errors/zero-error.js";
import type { DatabaseTarget } from "./target.js";

/** Runs work with a connected client; a server that does not answer becomes ZERO_DATABASE_UNREACHABLE. */
export async function withClient<T>(target: DatabaseTarget, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 3_000, application_name: "zero-db" });
  try {
    await client.connect();
  } catch (cause) {
    await client.end().catch(() => {});
    throw unreachable(target, cause);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Resolves once the database answers a query; ZERO_DATABASE_UNREACHABLE after the deadline; stops when aborted. */
export async function waitForDatabase(target: DatabaseTarget, timeoutMs = 60_000, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      return await withClient(target, async (client) => void (await client.query("select 1")));
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200, undefined, { signal });
    }
  }
}

export function unreachable(target: DatabaseTarget, cause: unknown): ZeroError {
  return new ZeroError("ZERO_DATABASE_UNREACHABLE", `Cannot connect to ${target.service.name} on port ${target.service.ports.main}: ${(cause as Error).message}.`, { cause });
}
