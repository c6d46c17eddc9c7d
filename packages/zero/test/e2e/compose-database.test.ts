import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { dockerAnswers } from "../helpers/docker.js";

// Compose parity for the database on the real Docker engine: backup, restore, a rotated password, and the
// refusal of another runtime's backup. Only the PostgreSQL container runs (the image comes from the
// environment: POSTGRES_IMAGE, the official one or CI's stand-in).
const PROJECT = "zero-e2e-compose-db";

describe.runIf(dockerAnswers || process.env.CI).sequential("make backup-db / restore-db runtime=compose", () => {
  let env: Record<string, string>;
  let password = "first-compose-db-password";
  const zero = (...args: string[]) =>
    runZero([...args, "--runtime", "compose", "--profile", "test"], {
      cwd: repoRoot,
      env: { ...env, POSTGRES_PASSWORD: password },
    });
  const query = async (sql: string) => {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: Number(env.POSTGRES_PORT),
      user: "app",
      database: "app",
      password,
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT"], { COMPOSE_PROJECT_NAME: PROJECT });
  });

  afterAll(async () => {
    await zero("down", "--volumes");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("starts PostgreSQL in its container", async () => {
    const result = await zero("up", "postgres");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/postgres\s+healthy in \d+ ms/);
    await query("create table parity (note text); insert into parity values ('in the backup')");
  }, 180_000);

  let backup: string;
  it("backs up the compose database (pg_dump through the container), naming runtime and PostgreSQL version", async () => {
    const result = await zero("db", "backup");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/Backup written to .*\.tar\.gz \(.*, compose runtime, PostgreSQL \d+,/);
    backup = /Backup written to (\S+\.tar\.gz)/.exec(result.all)![1]!;
    backup = backup.startsWith("/") ? backup : join(repoRoot, backup);
    const manifest = JSON.parse(readFileSync(backup.replace(/\.tar\.gz$/, ".json"), "utf8"));
    expect(manifest).toMatchObject({ runtime: "compose", contents: "pg_dump", service: "postgres", database: "app" });
    const listed = await zero("db", "backups");
    expect(listed.all).toMatch(/\.tar\.gz\s+\S+ \S+\s+compose\s+PostgreSQL \d+/);
  });

  it("restores it: rows written since are gone, the backup's rows are back", async () => {
    await query("insert into parity values ('after the backup'); create table later (id int)");
    const result = await zero("db", "restore", backup, "--yes");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("the database is up and answers");
    expect(await query("select note from parity")).toEqual([{ note: "in the backup" }]);
    expect(await query("select to_regclass('public.later') as t")).toEqual([{ t: null }]);
  }, 60_000);

  it("refuses a native backup (a data-directory copy) with the reason, changing nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-native-backup-"));
    const manifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      runtime: "native",
      contents: "data-directory",
      service: "postgres",
      pgVersion: "17",
      database: "app",
      migrations: [],
      sizeBytes: 0,
    };
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    await execa("tar", ["-czf", join(dir, "native.tar.gz"), "-C", dir, "manifest.json"]);
    const result = await zero("db", "restore", join(dir, "native.tar.gz"), "--yes");
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain("ZERO_RESTORE_FAILED");
    expect(result.all).toMatch(
      /cannot be restored by the compose runtime: it is a copy of the native runtime's PostgreSQL 17 data directory/,
    );
    expect(result.all).toContain("runtime=native");
    expect(await query("select note from parity")).toEqual([{ note: "in the backup" }]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies a rotated POSTGRES_PASSWORD to the existing volume in seconds", async () => {
    const stopped = await zero("stop", "postgres");
    expect(stopped.exitCode, stopped.all).toBe(0);
    password = "rotated-compose-db-password";
    const began = Date.now();
    const result = await zero("up", "postgres");
    const seconds = (Date.now() - began) / 1000;
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("applying the POSTGRES_PASSWORD from .env");
    expect(result.all).not.toContain(password);
    // Handled = from the container start to healthy (what used to wait out the 2-minute deadline); the whole
    // command also creates the containers with Compose first (~2-5 s, more on a loaded machine).
    const healthyMs = Number(/postgres\s+healthy in (\d+) ms/.exec(result.all)?.[1]);
    expect(healthyMs, result.all).toBeLessThan(10_000);
    expect(seconds).toBeLessThan(60);
    expect(await query("select note from parity")).toEqual([{ note: "in the backup" }]);
  }, 60_000);
});
