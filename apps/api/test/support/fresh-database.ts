import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { quoteIdent } from "@zero/database";
import pg from "pg";
import { inject, onTestFinished } from "vitest";
import "./provided-context.js";

export const migrationsDir = fileURLToPath(new URL("../../../../infrastructure/database/migrations", import.meta.url));
export const seedsDir = fileURLToPath(new URL("../../../../infrastructure/database/seeds", import.meta.url));

// An empty database of its own on the shared test server (the app role may create databases), dropped after the
// test or file that made it, so schema tests never see another file's tables.
export async function createFreshDatabase(cleanup: (fn: () => Promise<void>) => void = onTestFinished): Promise<string> {
  const admin = inject("databaseUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await withClient(admin, (client) => client.query(`create database ${quoteIdent(name)}`));
  cleanup(() => withClient(admin, (client) => client.query(`drop database if exists ${quoteIdent(name)} with (force)`)).then(() => {}));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
