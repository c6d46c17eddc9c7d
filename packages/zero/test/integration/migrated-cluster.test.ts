import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResultPromise } from "execa";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { Service } from "../../src/stack/schema.js";
import { freePort, repoRoot, waitFor } from "../helpers/cli.js";
import { runPrepared } from "../helpers/prepared-postgres.js";

// A new cluster from zero's cache already migrated and seeded (stack.yaml's `database.auto_seed`), for real:
// initdb, the private server that applies the schema, the copies, and PostgreSQL started on the result.
const scratch = mkdtempSync(join(tmpdir(), "zero-migrated-"));
chmodSync(scratch, 0o755);
const cache = join(scratch, "cache");
process.env.XDG_CACHE_HOME = cache; // this file's own cache: the first new cluster finds none
process.env.ZERO_SYSTEM_DATA = join(scratch, "system");
const clusters = join(cache, "zero-to-running", "postgres-clusters");
const { preparePostgres } = await import("../../src/runtimes/native/drivers/postgres.js");
const { removeLinkedData } = await import("../../src/runtimes/native/service-user-place.js");

// Copies of the project's folders, so a test can add a migration without touching the real ones.
const migrations = join(scratch, "migrations");
const seeds = join(scratch, "seeds");
cpSync(join(repoRoot, "infrastructure", "database", "migrations"), migrations, { recursive: true });
cpSync(join(repoRoot, "infrastructure", "database", "seeds"), seeds, { recursive: true });

const servers: ResultPromise[] = [];
afterAll(async () => {
  for (const server of servers) server.kill("SIGINT");
  await Promise.allSettled(servers);
  // Retried while a detached spare copy still writes into the cache (ENOTEMPTY; refillSpare in pristine-cluster.ts).
  rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

function service(password: string, port: number, autoSeed: "true" | "false"): Service {
  return {
    name: "postgres",
    kind: "postgres",
    ports: { main: port },
    env: { POSTGRES_USER: "app", POSTGRES_DB: "app", POSTGRES_PASSWORD: password },
    database: { migrations, seeds, auto_seed: autoSeed },
  } as unknown as Service;
}

/** Prepares a new home's cluster and starts it; returns the notes and a query function logged in with `password`. */
async function newStack(password: string, autoSeed: "true" | "false" = "true", mode = 0o755) {
  const folder = mkdtempSync(join(scratch, "home-"));
  chmodSync(folder, mode);
  const home = join(folder, ".zero");
  const port = await freePort();
  const notes: string[] = [];
  const launch = await preparePostgres(service(password, port, autoSeed), {
    root: repoRoot,
    home,
    note: (message) => notes.push(message),
    signal: new AbortController().signal,
  });
  const server = runPrepared(launch);
  servers.push(server);
  const query = async (sql: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "app", password, database: "app" });
    await client.connect();
    try {
      return (await client.query(sql)).rows[0] as Record<string, unknown>;
    } finally {
      await client.end();
    }
  };
  await waitFor(
    () =>
      query("select 1").then(
        () => true,
        (error: Error) => !/starting up|ECONNREFUSED/.test(error.message),
      ),
    20_000,
    `PostgreSQL on ${port}`,
  );
  return { notes: notes.join("\n"), query, launch, home, stop: () => server.kill("SIGINT") };
}

const counts =
  "select (select count(*) from pgmigrations)::int as migrations, (select count(*) from artists)::int as artists";
const migrationFiles = () => readdirSync(migrations).length;
/** Every file under the cache, read as bytes, joined: what a password would have to hide in. */
const cacheBytes = (): string => {
  for (let attempt = 1; ; attempt++) {
    try {
      return readCacheBytes();
    } catch (error) {
      // A spare's copy in the making was renamed while the walk was inside it (ENOENT in CI): walk again.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt === 5) throw error;
    }
  }
};
const readCacheBytes = () =>
  readdirSync(cache, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      try {
        return readFileSync(join(entry.parentPath, entry.name)).toString("latin1");
      } catch {
        return ""; // a spare's copy in the making, renamed meanwhile
      }
    })
    .join("\n");

describe("a new cluster comes migrated and seeded from the cache (database.auto_seed)", () => {
  it("the first is migrated and seeded ahead and kept without its password; the next is a copy of it with its own", async () => {
    const first = await newStack("first-migrated-test-pw");
    expect(first.notes).toContain("applied the migrations and seeds ahead");
    expect(await first.query(counts)).toMatchObject({ migrations: migrationFiles() });
    expect((await first.query(counts)).artists).toBeGreaterThan(0);

    const second = await newStack("second-migrated-test-pw");
    expect(second.notes).toContain("a copy of the migrated one");
    expect(second.notes).not.toContain("ahead");
    expect(await second.query(counts)).toEqual(await first.query(counts));

    // The cache: private folders, no password of either stack, no password record.
    expect(readdirSync(clusters)).toHaveLength(2); // initdb's own and the migrated one
    for (const place of readdirSync(clusters)) {
      expect(statSync(join(clusters, place)).mode & 0o777).toBe(0o700);
      expect(statSync(join(clusters, place, "made.json")).mode & 0o777).toBe(0o600);
      expect(existsSync(join(clusters, place, "cluster", "zero-password.hash"))).toBe(false);
    }
    const bytes = cacheBytes();
    expect(bytes).not.toContain("first-migrated-test-pw");
    expect(bytes).not.toContain("second-migrated-test-pw");
    first.stop();
    second.stop();
  });

  it("auto_seed false: migrated, not seeded (a cluster of its own)", async () => {
    const stack = await newStack("unseeded-test-pw", "false");
    expect(stack.notes).toContain("applied the migrations ahead");
    expect(await stack.query(counts)).toEqual({ migrations: migrationFiles(), artists: 0 });
    expect(readdirSync(clusters)).toHaveLength(3);
    stack.stop();
  });

  it("an edited migrations folder makes a new migrated cluster; a broken migration leaves a clean database to the app", async () => {
    writeFileSync(
      join(migrations, "29990101000000000_add-rates.sql"),
      "-- Up Migration\nALTER TABLE artists ADD COLUMN rate integer;\n",
    );
    const edited = await newStack("edited-test-pw");
    expect(edited.notes).toContain("applied the migrations and seeds ahead");
    expect(await edited.query("select count(rate)::int as rated from artists")).toEqual({ rated: 0 });
    edited.stop();

    writeFileSync(
      join(migrations, "29990102000000000_broken.sql"),
      "-- Up Migration\nALTER TABLE no_such_table ADD COLUMN x int;\n",
    );
    const broken = await newStack("broken-test-pw");
    expect(broken.notes).toMatch(/the migrations are left to the app \(applying them ahead failed: .*no_such_table/);
    expect(await broken.query("select to_regclass('pgmigrations')::text as table")).toEqual({ table: null });
    broken.stop();
    rmSync(join(migrations, "29990102000000000_broken.sql"));
  });

  it("applying ahead stops at once, with the reason, when the private server exits or refuses what waiting will not mend", async () => {
    const stack = await newStack("refusing-test-pw");
    stack.stop();
    await servers.at(-1); // a stopped cluster now, as applying ahead finds one
    const { applySchemaOffline } = await import("../../src/runtimes/native/drivers/schema-ahead.js");
    const { command, cwd, uid, gid } = stack.launch;
    const cluster = {
      postgres: command,
      dataDir: cwd!,
      user: "app",
      database: "no_such_db", // 3D000: a refusal no retry mends, unlike "starting up"
      owner: uid === undefined ? undefined : { name: "postgres", uid, gid: gid! },
      signal: new AbortController().signal,
    };
    const schema = { migrationsDir: migrations, seedsDir: undefined };
    await expect(applySchemaOffline(cluster, schema)).rejects.toMatchObject({
      message: expect.stringContaining('database "no_such_db" does not exist'),
      cause: { code: "3D000" }, // PostgreSQL's own error, not a wait that ran to its deadline
    });
    const noCluster = mkdtempSync(join(scratch, "no-cluster-"));
    await expect(applySchemaOffline({ ...cluster, dataDir: noCluster }, schema)).rejects.toThrow(
      /the private PostgreSQL server exited before it took connections/,
    );
  });

  it.skipIf(process.getuid?.() !== 0)(
    "root in a private folder: the cluster in the system folder, owned by postgres, is a copy of the migrated one",
    async () => {
      const stack = await newStack("private-migrated-test-pw", "true", 0o700);
      expect(stack.notes).toContain("a copy of the migrated one");
      expect(stack.launch.cwd!.startsWith(join(scratch, "system", "projects"))).toBe(true);
      expect(statSync(join(stack.launch.cwd!, "base")).uid).toBe(stack.launch.uid);
      expect(await stack.query(counts)).toMatchObject({ migrations: migrationFiles() });
      stack.stop();
      removeLinkedData(repoRoot, stack.home);
    },
  );

  it("clusters of old migrations go once more than four are kept and the oldest were last used over an hour ago", async () => {
    const kept = readdirSync(clusters);
    expect(kept.length).toBeGreaterThanOrEqual(4);
    const longAgo = new Date(Date.now() - 3 * 60 * 60 * 1000);
    for (const place of kept) utimesSync(join(clusters, place), longAgo, longAgo);
    writeFileSync(
      join(migrations, "29990103000000000_add-notes.sql"),
      "-- Up Migration\nALTER TABLE artists ADD COLUMN notes text;\n",
    );
    const stack = await newStack("pruned-test-pw");
    expect(stack.notes).toContain("applied the migrations and seeds ahead");
    const now = readdirSync(clusters);
    expect(now).toHaveLength(4);
    // initdb's own is among them: the next edit of the migrations starts from it, not from initdb.
    const keys = now.map((place) => JSON.parse(readFileSync(join(clusters, place, "made.json"), "utf8")).key);
    expect(keys.filter((key) => key.schema === undefined)).toHaveLength(1);
    stack.stop();
  });
});
