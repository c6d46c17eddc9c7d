import { spawn } from "node:child_process";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { schemaFilesHash } from "@zero/database/schema-files";
import { type Probe, postgresProbe } from "../../../health/probes.js";
import { classifyFailure, waitUntilHealthy } from "../../../health/wait.js";
import type { Service } from "../../../stack/schema.js";
import type { ServiceUser } from "../os-user.js";

// A new cluster can come from zero's cache already migrated (and seeded), so a cold start's API finds nothing to do
// instead of loading the migration runner and running every migration and seed on the start's path. This file says
// which schema a new cluster gets and puts it there: a private server with no TCP port, stopped before the cluster
// is kept or used. The app still migrates a database this did not prepare (containers, an older cluster).

/** The migrations (and seeds) a new cluster of this service gets before its first start; undefined: none. */
export interface SchemaAhead {
  migrationsDir: string;
  seedsDir: string | undefined;
}

/** From the service's `database:` block: only when it says whether a new database is seeded (`auto_seed`). */
export function schemaAhead(service: Service, root: string): SchemaAhead | undefined {
  const files = service.database;
  if (!files?.auto_seed) return undefined; // the app's own rule is unknown: leave the new database to it
  return {
    migrationsDir: resolve(root, files.migrations),
    seedsDir: files.seeds && files.auto_seed === "true" ? resolve(root, files.seeds) : undefined,
  };
}

/** A hash of the folders' file names and contents (part of a cached cluster's key: an edit makes a new one). */
export function schemaKey(schema: SchemaAhead): string {
  return schemaFilesHash({ migrations: schema.migrationsDir, seeds: schema.seedsDir }).slice(0, 16);
}

/** What it takes to run this cluster's server: its binary, the database and role, who owns the files. */
export interface OfflineCluster {
  postgres: string;
  dataDir: string;
  user: string;
  database: string;
  owner: ServiceUser | undefined;
  signal: AbortSignal;
}

/**
 * Applies the migrations and seeds to a stopped cluster: starts it on a Unix socket in a private folder (mode 0700,
 * its owner's) with a pg_hba.conf of its own there that trusts that socket only, runs the same code `make migrate`
 * and `make seed` run (@zero/database), then stops it (a clean shutdown: its files are consistent to copy).
 * No password is set or needed, and the cluster's own pg_hba.conf is untouched.
 */
export async function applySchemaOffline(cluster: OfflineCluster, schema: SchemaAhead): Promise<void> {
  const socketDir = mkdtempSync(join(tmpdir(), "zero-pg-")); // short: a socket path has ~100 bytes at most
  const hba = join(socketDir, "pg_hba.conf");
  writeFileSync(hba, "local all all trust\n", { mode: 0o600 });
  if (cluster.owner) {
    chownSync(socketDir, cluster.owner.uid, cluster.owner.gid);
    chownSync(hba, cluster.owner.uid, cluster.owner.gid);
  }
  // fsync off: the caller flushes the whole cluster to disk before anything uses it.
  const settings = [
    "listen_addresses=",
    `unix_socket_directories=${socketDir}`,
    `hba_file=${hba}`,
    "fsync=off",
    "shared_buffers=8MB",
  ];
  const server = spawn(cluster.postgres, ["-D", cluster.dataDir, ...settings.flatMap((setting) => ["-c", setting])], {
    env: { LANG: "C", PATH: process.env.PATH },
    uid: cluster.owner?.uid,
    gid: cluster.owner?.gid,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const output: string[] = [];
  server.stderr.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  const exited = new Promise<number | null>((done) => server.once("close", (code) => done(code)));
  server.once("error", () => {}); // reported through `exited` (code null) and the connection that never comes
  const stop = () => server.kill("SIGINT"); // "fast" shutdown: checkpoint, exit
  cluster.signal.addEventListener("abort", stop, { once: true });
  try {
    const url = `postgres://${encodeURIComponent(cluster.user)}@/${encodeURIComponent(cluster.database)}?host=${encodeURIComponent(socketDir)}`;
    await untilReady(url, exited, cluster.signal);
    const { applyMigrations, applySeeds } = await import("@zero/database");
    await applyMigrations({ databaseUrl: url, dir: schema.migrationsDir });
    if (schema.seedsDir) await applySeeds(url, schema.seedsDir);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}${output.length ? `\n${output.join("").trim().split("\n").slice(-5).join("\n")}` : ""}`,
      {
        cause: error,
      },
    );
  } finally {
    cluster.signal.removeEventListener("abort", stop);
    stop();
    await exited;
    rmSync(socketDir, { recursive: true, force: true });
  }
  if (cluster.signal.aborted) throw cluster.signal.reason;
}

const READY_DEADLINE_MS = 30_000;

/**
 * The project's wait for health with PostgreSQL's probe over the socket, cut short when the server exits or refuses
 * us for good (no such role or database: waiting will not mend it); "starting up", no socket yet and a timed-out
 * attempt on a busy machine are tried again.
 */
async function untilReady(url: string, exited: Promise<number | null>, signal: AbortSignal): Promise<void> {
  const hopeless = new AbortController();
  void exited.then(() => hopeless.abort(new Error("the private PostgreSQL server exited before it took connections")));
  const probe = postgresProbe(url);
  const probeOrGiveUp: Probe = (attempt) =>
    probe(attempt).catch((error: unknown) => {
      if (classifyFailure(error) === "misconfigured") hopeless.abort(error); // the wait rethrows it as it is
      throw error;
    });
  await waitUntilHealthy(probeOrGiveUp, {
    intervalMs: 10,
    timeoutMs: 2_000,
    deadline: Date.now() + READY_DEADLINE_MS,
    signal: AbortSignal.any([signal, hopeless.signal]),
  });
}
