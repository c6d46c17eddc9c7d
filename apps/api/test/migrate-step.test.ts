// The production image's migration step (dist/migrate.mjs, the api pods' `migrate` init container on Kubernetes),
// built exactly as the Dockerfile builds it and run as a real process against the real test PostgreSQL.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script, no declarations
import { productionBundleOptions } from "../scripts/server-bundle.mjs";
import { createFreshDatabase, migrationsDir, withClient } from "./support/fresh-database.js";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
let outdir: string;

// Inside apps/api, so the bundle resolves its external packages from node_modules as in the image.
beforeAll(async () => {
  outdir = mkdtempSync(join(API_DIR, ".migrate-test-"));
  await build({ ...productionBundleOptions(outdir), absWorkingDir: API_DIR, logLevel: "error" });
}, 60_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const runStep = (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, [join(outdir, "migrate.mjs")], {
    cwd: API_DIR,
    env: { PATH: process.env.PATH, LOG_LEVEL: "INFO", ...env },
  }).then(
    (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      out: error.stdout + error.stderr,
    }),
  );

describe("dist/migrate.mjs, the Kubernetes release step", () => {
  it("applies every migration to an empty database, exits 0, and a second run finds nothing to do", async () => {
    const url = await createFreshDatabase();
    // As in the pod: the URL without its password, the password from a file (DATABASE_PASSWORD_FILE).
    const bare = new URL(url);
    const passwordFile = join(outdir, "postgres_password");
    writeFileSync(passwordFile, decodeURIComponent(bare.password), { mode: 0o600 });
    bare.password = "";
    const env = { DATABASE_URL: bare.toString(), DATABASE_PASSWORD_FILE: passwordFile, MIGRATIONS_DIR: migrationsDir };
    const first = await runStep(env);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/"msg":"applied \d+ migration\(s\)"/);
    const applied = await withClient(url, (c) => c.query("select count(*)::int as n from pgmigrations"));
    expect(applied.rows[0].n).toBeGreaterThan(0);
    const second = await runStep(env);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('"msg":"schema is at the latest migration"');
  });

  it("exits 1 with the failing migration's reason as its last line, applying none of the pending ones", async () => {
    const url = await createFreshDatabase();
    const broken = join(outdir, "broken-migrations");
    cpSync(migrationsDir, broken, { recursive: true });
    writeFileSync(join(broken, "99990101000000_broken.sql"), "-- Up Migration\nalter table no_such_table add x int;\n");
    const result = await runStep({ DATABASE_URL: url, MIGRATIONS_DIR: broken });
    expect(result.code).toBe(1);
    const last = JSON.parse(result.out.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ level: "fatal", msg: "could not bring the database schema to the latest migration" });
    expect(JSON.stringify(last.err)).toContain('relation \\"no_such_table\\" does not exist');
    const tables = await withClient(url, (c) =>
      c.query(
        "select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name <> 'pgmigrations'",
      ),
    );
    expect(tables.rows[0].n).toBe(0); // one transaction: none of the good ones was applied either
  });

  it("exits 1 naming the variable when the environment is wrong", async () => {
    const result = await runStep({ DATABASE_URL: "mysql://x", MIGRATIONS_DIR: migrationsDir });
    expect(result.code).toBe(1);
    expect(result.out).toContain("DATABASE_URL must be a URL starting with postgres://");
  });
});
