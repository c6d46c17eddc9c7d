import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/config/env-file.js";
import { readState } from "../../src/runtimes/native/supervisor/state-reader.js";
import { repoRoot, runZero, waitFor, zeroBin } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

interface ToolAnswer {
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the answers are JSON the assertions walk into
  data: Record<string, any>;
  isError: boolean;
}

/**
 * `zero mcp`'s database tools driven by the MCP SDK's own client over stdio, against a real PostgreSQL run by zero
 * natively, in a throwaway project with its own migrations and seed (e2e/mcp.test.ts covers the other tools on a
 * stack without a database). Its password is generated into .env on the first `zero up`, as a developer's is.
 */
describe.sequential("zero mcp's database tools against a real PostgreSQL", { timeout: 120_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), "zero-mcp-db-"));
  const write = (path: string, text: string) => writeFileSync(join(root, path), text);
  let env: Record<string, string>;
  let password: string;
  let client: Client;
  const answers: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> => {
    const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 })) as {
      content: Array<{ type: string; text: string }>;
      isError?: boolean;
    };
    const text = result.content.map((part) => part.text).join("\n");
    answers.push(text);
    return { text, data: JSON.parse(text), isError: Boolean(result.isError) };
  };
  // The password goes to pg on its own, never inside a connection string.
  const query = async (sql: string) => {
    const db = new pg.Client({
      host: "127.0.0.1",
      port: Number(env.POSTGRES_PORT),
      user: "app",
      database: "app",
      password,
    });
    await db.connect();
    try {
      return (await db.query(sql)).rows;
    } finally {
      await db.end();
    }
  };
  const tableExists = async (table: string) => (await query(`select to_regclass('${table}') as t`))[0].t !== null;
  const labels = async () => (await query("select label from items order by id")).map((row) => row.label as string);
  const columns = async (table: string) =>
    (await query(`select column_name from information_schema.columns where table_name = '${table}' order by 1`)).map(
      (row) => row.column_name as string,
    );
  /** A transaction does not take back what nextval did: only a restore point does. */
  const sequence = async () => (await query("select last_value, is_called from items_id_seq"))[0];
  const restorePoints = async () =>
    (await query("select datname from pg_database where datname like 'zero\\_rp\\_%' order by 1")).map(
      (row) => row.datname as string,
    );
  /** A running API dev runner's schema-check marker (apps/api/scripts/dev.mjs): zero deletes it when it migrates. */
  const marker = join(root, ".dev/4242/schema-checked");
  const plantMarker = () => {
    mkdirSync(join(root, ".dev/4242"), { recursive: true });
    write(".dev/4242/schema-checked", "key of the migrations the runner last checked");
  };
  /** What a reset or a restore would change: the database itself (recreated: a new oid), its rows, its migrations. */
  const databaseState = async () => ({
    oid: (await query("select oid from pg_database where datname = 'app'"))[0].oid,
    labels: await labels(),
    migrations: (await query("select name from pgmigrations order by id")).map((row) => row.name as string),
  });

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT"]);
    write(
      "stack.yaml",
      `name: mcp-database-fixture
profiles: { full: { description: everything } }
services:
  postgres:
    kind: postgres
    profiles: [full]
    ports: { main: "\${POSTGRES_PORT}" }
    env: { POSTGRES_DB: app, POSTGRES_USER: app, POSTGRES_PASSWORD: "\${POSTGRES_PASSWORD}" }
    database: { migrations: migrations, seeds: seeds }
    healthcheck: { type: postgres }
`,
    );
    write(".env.example", "POSTGRES_PASSWORD=CHANGE_ME_postgres_password\n");
    write("package.json", '{ "private": true, "type": "module" }\n');
    symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules")); // the PostgreSQL binaries
    mkdirSync(join(root, "migrations"));
    mkdirSync(join(root, "seeds"));
    write(
      "migrations/001_items.sql",
      "-- Up Migration\ncreate table items (id serial primary key, label text not null unique);\n",
    );
    write("seeds/001_items.sql", "insert into items (label) values ('one'), ('two') on conflict (label) do nothing;\n");
    // An empty database is not migrated at start (the API does it on a full stack): the migration is pending.
    const up = await runZero(["up"], { cwd: root, env });
    expect(up.exitCode, up.all).toBe(0);
    password = readEnvFile(join(root, ".env"))?.POSTGRES_PASSWORD?.value ?? "";
    expect(password).toMatch(/^[A-Za-z0-9]{20,}$/);
    client = new Client({ name: "zero-test", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [zeroBin, "mcp"],
        cwd: root,
        env: { ...(process.env as Record<string, string>), ...env, NO_COLOR: "1" },
        stderr: "pipe",
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await runZero(["down"], { cwd: root, env });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("migrate applies the pending migration, and then has nothing left to apply", async () => {
    expect(await tableExists("items")).toBe(false);
    const migrated = await call("migrate");
    expect(migrated.isError, migrated.text).toBe(false);
    expect(migrated.data).toEqual({ applied: ["001_items"], atLatest: true });
    expect(await tableExists("items")).toBe(true);
    expect((await call("migrate")).data.applied).toEqual([]);
  });

  it("a failing migration is undone by a restore point, sequences included, with the CLI's very problem", async () => {
    const before = { sequence: await sequence(), migrations: (await databaseState()).migrations };
    // The transaction takes back the table, not the sequence nextval advanced: the restore point does.
    write(
      "migrations/002_broken.sql",
      "-- Up Migration\ncreate table extra (x int);\nselect nextval('items_id_seq');\nselect 1 / 0;\n",
    );
    plantMarker();
    const failed = await call("migrate");
    const markerKept = { byMcp: existsSync(marker), byCli: false };
    plantMarker();
    const cli = await runZero(["db", "migrate"], { cwd: root, env });
    markerKept.byCli = existsSync(marker);
    unlinkSync(join(root, "migrations/002_broken.sql"));
    // The put-back swapped the database behind a running API's last check, as a rollback does.
    expect(markerKept).toEqual({ byMcp: false, byCli: false });
    expect(failed.isError).toBe(true);
    expect(failed.data.error.code).toBe("ZERO_MIGRATION_FAILED");
    expect(failed.data.error.message).toMatch(
      /The database was put back as it was before \(restore point before-migrate-\d/,
    );
    expect(failed.data.error.next).toContain("002_broken.sql");
    expect(await tableExists("extra")).toBe(false);
    expect(await sequence()).toEqual(before.sequence);
    expect((await databaseState()).migrations).toEqual(before.migrations);
    expect(await restorePoints()).toEqual([]); // the point it went back to is not left behind
    // One operation behind both: the CLI prints the same code, what, why and next (but for the point's time).
    const point = /before-migrate-[\d-]+/g;
    const { code, message, why, next } = failed.data.error;
    expect(cli.exitCode, cli.all).toBe(8);
    expect(cli.all.replace(point, "P")).toContain(`${code}: ${message.replace(point, "P")}`);
    expect(cli.all).toContain(`Why:  ${why}`);
    expect(cli.all).toContain(`Next: ${next}`);
  });

  it("seed loads the seed rows, and run again keeps them as they are", async () => {
    expect(await labels()).toEqual([]);
    const seeded = await call("seed");
    expect(seeded.isError, seeded.text).toBe(false);
    expect(seeded.data).toEqual({ ran: ["001_items.sql"] });
    expect(await labels()).toEqual(["one", "two"]);
    expect((await call("seed")).data.ran).toEqual(["001_items.sql"]);
    expect(await labels()).toEqual(["one", "two"]);
  });

  it("migrate takes a restore point first, forgets the schema check, and the developer's rollback goes back to it", async () => {
    write(
      "migrations/002_rates.sql",
      "-- Up Migration\nalter table items add column rate int;\nupdate items set label = label || '!', rate = 5;\n",
    );
    plantMarker();
    const migrated = await call("migrate");
    const after = { markerKept: existsSync(marker), points: await restorePoints(), labels: await labels() };
    await query("insert into items (label) values ('after the migration')");
    const rolled = await runZero(["db", "rollback", "--yes"], { cwd: root, env });
    unlinkSync(join(root, "migrations/002_rates.sql"));

    expect(migrated.isError, migrated.text).toBe(false);
    expect(migrated.data).toMatchObject({
      applied: ["002_rates"],
      restorePoint: expect.stringMatching(/^before-migrate-\d/),
      undo: expect.stringContaining("`make rollback`"),
    });
    expect(after).toEqual({
      markerKept: false,
      points: [expect.stringMatching(/^zero_rp_/)],
      labels: ["one!", "two!"],
    });
    expect(rolled.exitCode, rolled.all).toBe(0);
    expect(rolled.all).toContain(`restore point "${migrated.data.restorePoint}"`);
    expect(rolled.all).toMatch(/undone\s+002_rates/);
    expect(await columns("items")).toEqual(["id", "label"]);
    expect(await labels()).toEqual(["one", "two"]);
    expect(await restorePoints()).toEqual([]);
  });

  it("refuses reset_db, restore_db and down with volumes: the developer's command, and the database unchanged", async () => {
    await query("insert into items (label) values ('written by the developer')");
    const before = await databaseState();
    const postgresOf = async () =>
      (await call("status")).data.services.find((s: { name: string }) => s.name === "postgres");
    const running = await postgresOf();
    for (const [name, args, command, wouldDo] of [
      ["reset_db", {}, "make reset-db", /every row of database "app"/],
      ["restore_db", { file: "app-1.dump" }, "make restore-db file=app-1.dump", /Replace database "app"/],
      ["down", { volumes: true }, "make down volumes=1", /delete the stack's data/],
    ] as const) {
      const refused = await call(name, args);
      expect(refused.isError, refused.text).toBe(false);
      expect(refused.data).toMatchObject({ refused: true, wouldDo: expect.stringMatching(wouldDo) });
      expect(refused.data.humanStep).toContain(`\`${command}\``);
      expect(refused.data.humanStep).not.toMatch(/yes=1|--yes/);
      expect(Object.keys(refused.data).some((key) => /token|confirm/i.test(key))).toBe(false);
    }
    expect(await databaseState()).toEqual(before);
    expect(before.labels).toEqual(["one", "two", "written by the developer"]);
    expect(await postgresOf()).toMatchObject({ state: "running", restarts: running.restarts });
  });

  it("refuses migrate and seed, like the CLI, while PostgreSQL runs with its supervisor killed", async () => {
    const before = await databaseState();
    const supervisor = readState(env.ZERO_HOME!)!.supervisor.pid;
    process.kill(supervisor, "SIGKILL");
    await waitFor(() => !isAlive(supervisor), 10_000, "the supervisor gone");
    for (const name of ["migrate", "seed"]) {
      const refused = await call(name);
      expect(refused.isError, refused.text).toBe(true);
      expect(refused.data.error).toMatchObject({
        code: "ZERO_DATABASE_UNSUPERVISED",
        next: expect.stringContaining("make down"),
      });
    }
    expect(await databaseState()).toEqual(before);
  });

  it("never lets the database password into an answer", async () => {
    const config = await call("config");
    expect(config.data.settings.find((row: { name: string }) => row.name === "POSTGRES_PASSWORD")?.value).toBe("****");
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer).not.toContain(password);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
