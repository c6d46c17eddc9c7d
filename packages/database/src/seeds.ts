import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";

// Runs every *.sql file of the seeds folder in name order, all in one transaction: a failing seed leaves the
// database as it was. Seeds must be idempotent (fixed ids, ON CONFLICT DO NOTHING); returns the files run.
export async function applySeeds(databaseUrl: string, dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "zero-seed" });
  await client.connect();
  try {
    await client.query("begin");
    for (const file of files) {
      const sql = await readFile(join(dir, file), "utf8");
      try {
        await client.query(sql);
      } catch (error) {
        throw new Error(`seed ${file} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    await client.query("commit");
    return files;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
