import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnvFile } from "../../src/config/env-file.js";
import { repoRoot, runZero, zeroBin } from "../helpers/cli.js";
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

  it("a failing migration answers ZERO_MIGRATION_FAILED with the file to fix, and applies nothing", async () => {
    write("migrations/002_broken.sql", "-- Up Migration\ncreate table extra (x int);\nselect 1 / 0;\n");
    const failed = await call("migrate");
    unlinkSync(join(root, "migrations/002_broken.sql"));
    expect(failed.isError).toBe(true);
    expect(failed.data.error.code).toBe("ZERO_MIGRATION_FAILED");
    expect(failed.data.error.next).toContain("002_broken.sql");
    expect(await tableExists("extra")).toBe(false);
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

  it("never lets the database password into an answer", async () => {
    const config = await call("config");
    expect(config.data.settings.find((row: { name: string }) => row.name === "POSTGRES_PASSWORD")?.value).toBe("****");
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer).not.toContain(password);
  });
});
