import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// A backup from elsewhere, crafted as an attacker would: a real `make backup-db` archive of this project's
// PostgreSQL (test profile, a real server run by zero), unpacked, given configuration that runs programs, loads a
// library or lets anyone in, packed again and handed to `make restore-db`.

let env: Record<string, string>;
let backup: string;
const zero = (...args: string[]) => runZero([...args, "--profile", "test"], { cwd: repoRoot, env });
const password = "test-only-postgres-password"; // the test profile's fixed, non-secret password (stack.yaml)

async function query(sql: string, as = password) {
  const client = new pg.Client({
    host: "127.0.0.1",
    port: Number(env.POSTGRES_PORT),
    user: "app",
    database: "app",
    password: as,
  });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The backup unpacked into a fresh folder, changed by `craft`, packed again as a .tar.gz. */
function craftedArchive(name: string, craft: (dataDir: string) => void): string {
  const work = mkdtempSync(join(env.ZERO_HOME!, `${name}-`));
  execFileSync("tar", ["-xzf", backup, "-C", work]);
  craft(join(work, "postgres"));
  const archive = join(env.ZERO_HOME!, `${name}.tar.gz`);
  execFileSync("tar", ["-czf", archive, "-C", work, "manifest.json", "postgres"]);
  return archive;
}

beforeAll(async () => {
  env = await isolatedEnv(["POSTGRES_PORT", "REDIS_PORT", "API_PORT", "API_DEBUG_PORT", "WEB_PORT"]);
  const up = await zero("up", "postgres");
  if (up.exitCode !== 0) throw new Error(`zero up postgres failed:\n${up.all}`);
  await query("create table restore_probe (id int)");
  const made = await zero("db", "backup");
  if (made.exitCode !== 0) throw new Error(`backup failed:\n${made.all}`);
  const [archive] = readdirSync(join(env.ZERO_HOME!, "backups")).filter((file) => file.endsWith(".tar.gz"));
  backup = join(env.ZERO_HOME!, "backups", archive!);
}, 120_000);

afterAll(async () => {
  await zero("down");
  if (env?.ZERO_HOME) rmSync(env.ZERO_HOME, { recursive: true, force: true });
}, 60_000);

describe("threat: a backup from elsewhere runs code or opens the database when restored", () => {
  it("promise: a restore applies none of the archive's archive_command, preload libraries, includes or pg_hba.conf", async () => {
    const canary = join(env.ZERO_HOME!, "archive-command-ran");
    const crafted = craftedArchive("crafted", (dataDir) => {
      appendFileSync(
        join(dataDir, "postgresql.auto.conf"),
        `archive_mode = on\narchive_command = 'touch ${canary}'\nshared_preload_libraries = 'auto_explain'\n`,
      );
      appendFileSync(
        join(dataDir, "postgresql.conf"),
        "include_if_exists = '/etc/zero-probe.conf'\nwork_mem = '8MB'\n",
      );
      writeFileSync(join(dataDir, "pg_hba.conf"), "host all all 0.0.0.0/0 trust\nhost all all ::/0 trust\n");
    });
    const restore = await zero("db", "restore", crafted, "--yes");
    expect(restore.exitCode, restore.all).toBe(0);
    // The server's own word on what it runs with, asked through the normal password login.
    const [settings] = await query(
      "select current_setting('archive_mode') as mode, current_setting('archive_command') as command, " +
        "current_setting('shared_preload_libraries') as libraries, current_setting('work_mem') as work_mem",
    );
    expect(settings).toEqual({ mode: "off", command: "(disabled)", libraries: "", work_mem: "8MB" });
    // pg_hba.conf is zero's: a wrong password is refused (a "trust" line would have let it in).
    await expect(query("select 1", "not-the-password")).rejects.toThrow(/password authentication failed/);
    expect((await query("select count(*)::int as n from restore_probe"))[0]).toEqual({ n: 0 });
    // Said, line by line; initdb's own sizing and locale settings are kept without a word.
    expect(restore.all).toContain("postgresql.auto.conf: archive_command");
    expect(restore.all).toContain("postgresql.conf: include_if_exists");
    expect(restore.all).not.toContain("max_connections");
  }, 120_000);

  it("promise: an archive holding links or files PostgreSQL does not write is refused before anything changes", async () => {
    await query("insert into restore_probe values (1)");
    const withLink = craftedArchive("with-link", (dataDir) => symlinkSync("/etc", join(dataDir, "pg_tblspc", "16999")));
    const withLibrary = craftedArchive("with-library", (dataDir) => {
      mkdirSync(join(dataDir, "lib"));
      writeFileSync(join(dataDir, "lib", "probe.so"), "\x7fELF not really a library");
    });
    for (const archive of [withLink, withLibrary]) {
      const result = await zero("db", "restore", archive, "--yes");
      expect(result.exitCode, result.all).toBe(8);
      expect(result.all).toContain("ZERO_RESTORE_FAILED");
      expect(result.all).toContain("Nothing was changed");
      expect(result.all).not.toContain("stopping postgres");
    }
    expect((await query("select count(*)::int as n from restore_probe"))[0]).toEqual({ n: 1 });
  }, 120_000);
});
