import { lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

// A native backup is a whole PostgreSQL data directory, and PostgreSQL obeys the configuration files inside it at
// its next start: `archive_command` or `shared_preload_libraries` in postgresql.auto.conf run code as the database's
// user, a pg_hba.conf can let anyone in without a password. So a restore keeps only PostgreSQL's own files and
// folders, writes zero's own pg_hba.conf and pg_ident.conf, and keeps only the settings named below from the
// archive's postgresql.conf and postgresql.auto.conf (docs/database.md, "A backup from elsewhere").

/** What a data directory holds at its top level (PostgreSQL 17's initdb, zero's password record, a server's logs). */
const TOP_LEVEL = new Set([
  "PG_VERSION",
  "base",
  "global",
  "pg_commit_ts",
  "pg_dynshmem",
  "pg_logical",
  "pg_multixact",
  "pg_notify",
  "pg_replslot",
  "pg_serial",
  "pg_snapshots",
  "pg_stat",
  "pg_stat_tmp",
  "pg_subtrans",
  "pg_tblspc",
  "pg_twophase",
  "pg_wal",
  "pg_xact",
  "postgresql.conf",
  "postgresql.auto.conf",
  "pg_hba.conf",
  "pg_ident.conf",
  "postmaster.opts",
  "current_logfiles",
  "log",
  "zero-password.hash",
  "zero-password.scrypt",
]);

/** Settings that only size, tune or localise the server: none names a program, a library, a file or a peer. */
const KEPT_SETTINGS = new Set([
  "max_connections",
  "shared_buffers",
  "work_mem",
  "maintenance_work_mem",
  "effective_cache_size",
  "dynamic_shared_memory_type",
  "max_wal_size",
  "min_wal_size",
  "checkpoint_timeout",
  "random_page_cost",
  "synchronous_commit",
  "statement_timeout",
  "idle_in_transaction_session_timeout",
  "jit",
  "datestyle",
  "intervalstyle",
  "timezone",
  "log_timezone",
  "lc_messages",
  "lc_monetary",
  "lc_numeric",
  "lc_time",
  "default_text_search_config",
]);

// name [=] value [# comment], value a plain word or a single-quoted string (PostgreSQL's own configuration syntax).
const SETTING =
  /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=\s*|\s+)((?:'(?:[^'\\\n]|\\.|'')*')|[A-Za-z0-9_.:+-]+)\s*(?:#.*)?$/;
const BLANK_OR_COMMENT = /^\s*(?:#.*)?$/;

// What initdb --auth=scram-sha-256 writes: a password for every connection, local and loopback only.
const HBA = `# Written by zero on restore: a backup's own pg_hba.conf is not used (docs/database.md).
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
local replication all scram-sha-256
host replication all 127.0.0.1/32 scram-sha-256
host replication all ::1/128 scram-sha-256
`;

/** Entries of a restored data directory that are not PostgreSQL's own regular files and folders (links, devices, strangers). */
export function foreignEntries(dataDir: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = relative(dataDir, path);
      if (dir === dataDir && !TOP_LEVEL.has(entry.name)) found.push(name);
      else if (entry.isDirectory()) visit(path);
      else if (!entry.isFile() || lstatSync(path).nlink > 1) found.push(name);
    }
  };
  visit(dataDir);
  return found;
}

/**
 * Rewrites the restored directory's configuration: zero's pg_hba.conf and pg_ident.conf, and of the archive's
 * postgresql.conf and postgresql.auto.conf only the KEPT_SETTINGS. Returns what was dropped, as "file: line".
 */
export function ownServerConfiguration(dataDir: string): string[] {
  const dropped: string[] = [];
  for (const file of ["postgresql.conf", "postgresql.auto.conf"]) {
    const lines = readLines(join(dataDir, file));
    const kept = lines.filter((line) => {
      if (BLANK_OR_COMMENT.test(line)) return false;
      const setting = SETTING.exec(line);
      if (setting && KEPT_SETTINGS.has(setting[1]!.toLowerCase())) return true;
      dropped.push(`${file}: ${line.trim()}`);
      return false;
    });
    const header = `# Written by zero on restore: only sizing and locale settings are kept from a backup (docs/database.md).\n`;
    writeFileSync(join(dataDir, file), header + kept.map((line) => `${line.trim()}\n`).join(""), { mode: 0o600 });
  }
  writeFileSync(join(dataDir, "pg_hba.conf"), HBA, { mode: 0o600 });
  writeFileSync(join(dataDir, "pg_ident.conf"), "# Written by zero on restore: no user name maps.\n", { mode: 0o600 });
  return dropped;
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n");
  } catch {
    return []; // a missing file is written fresh: PostgreSQL needs postgresql.conf to exist, not to say anything
  }
}
