import { createHash } from "node:crypto";
import {
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { execFile } from "node:child_process";
import { assertContained, removeTree } from "../../files/remove-tree.js";
import type { ServiceUser } from "./os-user.js";

/**
 * Where zero keeps what an unprivileged service user must reach when the project sits in a folder that user cannot
 * enter (root's home is mode 700 on most systems). Like Debian's own /var/lib/postgresql: owned by root, 0755,
 * one folder per project, never a loosened home folder (ADR 11).
 */
export const SYSTEM_PLACE = process.env.ZERO_SYSTEM_DATA ?? "/var/lib/zero-to-running";

/**
 * For each path, whether the user can reach it: every folder above it searchable, the path itself
 * executable/enterable. Asked of the system as that user (ACLs count), every path in one shell: a process per path
 * cost ~25 ms each on every start.
 */
export function canReach(user: ServiceUser, paths: string[]): Promise<boolean[]> {
  const script = 'for path in "$@"; do if test -x "$path"; then echo yes; else echo no; fi; done';
  return new Promise((resolve) => {
    execFile("sh", ["-c", script, "sh", ...paths], { uid: user.uid, gid: user.gid }, (error, stdout) => {
      const answers = stdout.split("\n").slice(0, paths.length);
      // A shell that could not run says nothing: nothing is reachable, and the caller takes the safe way.
      resolve(paths.map((_, index) => !error && answers[index] === "yes"));
    });
  });
}

/**
 * A copy of a read-only tree (a program's binaries and libraries) in SYSTEM_PLACE, made once per version and reused
 * by every project: root-owned, readable by all. Copied into a staging folder and renamed, so a half copy is never used.
 */
export function sharedCopy(source: string, name: string): string {
  const target = join(SYSTEM_PLACE, name);
  if (existsSync(target)) return target;
  mkdirSync(SYSTEM_PLACE, { recursive: true, mode: 0o755 });
  const staging = `${target}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
  renameSync(staging, target);
  return target;
}

/** The project's own folder in SYSTEM_PLACE: its folder name plus a hash of its zero home, so two clones never share. */
export function projectPlace(root: string, home: string): string {
  const place = projectPlacePath(root, home);
  mkdirSync(place, { recursive: true, mode: 0o755 });
  // Says whose it is, for a person looking at /var/lib.
  writeFileSync(join(place, "project"), `${resolve(home)}\n`);
  return place;
}

/** Where projectPlace is (without making it). */
export function projectPlacePath(root: string, home: string): string {
  const hash = createHash("sha256").update(resolve(home)).digest("hex").slice(0, 8);
  return join(SYSTEM_PLACE, "projects", `${basename(resolve(root)) || "project"}-${hash}`);
}

/** Every place the project's data may be: its zero home, and its own folder in SYSTEM_PLACE. Deletes stay inside. */
export function dataPlaces(root: string, home: string): string[] {
  return [home, projectPlacePath(root, home)];
}

/**
 * Moves a service's data folder to the project's place in SYSTEM_PLACE and leaves a symbolic link where it was, so
 * every path the docs and commands use (.zero/data/postgres) keeps working. Existing data is moved, never dropped.
 */
export function linkIntoPlace(dataDir: string, place: string, owner: ServiceUser): string {
  const target = join(place, basename(dataDir));
  if (isLink(dataDir) && readlinkSync(dataDir) === target) return target;
  if (isLink(dataDir)) rmSync(dataDir); // a link to somewhere else (a moved project): point it here
  if (existsSync(dataDir)) moveFolder(dataDir, target);
  mkdirSync(dirname(dataDir), { recursive: true });
  symlinkSync(target, dataDir);
  if (existsSync(target)) chownSync(target, owner.uid, owner.gid);
  return target;
}

/**
 * Deletes the data of every service whose folder under <home>/data links into SYSTEM_PLACE's projects, and the
 * project's place when nothing else is left in it. Returns the paths it removed. Other links are never followed,
 * and a link that leads outside the project's own place (`..`, another project) is refused before anything is
 * deleted (ZERO_DELETE_REFUSED).
 */
export function removeLinkedData(root: string, home: string): string[] {
  const dataRoot = join(home, "data");
  const own = projectPlacePath(root, home);
  const targets = readDir(dataRoot)
    .map((name) => join(dataRoot, name))
    .filter(isLink)
    .map((link) => readlinkSync(link))
    .filter((target) => target.startsWith(`${join(SYSTEM_PLACE, "projects")}/`));
  for (const target of targets) assertContained(target, [own]);
  const removed: string[] = [];
  for (const target of targets) {
    if (!existsSync(target)) continue;
    removeTree(target, [own]);
    removed.push(target);
  }
  if (existsSync(own) && readDir(own).every((entry) => entry === "project")) {
    removeTree(own, [own]);
    removed.push(own);
  }
  removed.push(...removeSharedWhenUnused());
  return removed;
}

/** The shared binaries go with the last project that used them. */
function removeSharedWhenUnused(): string[] {
  const projects = join(SYSTEM_PLACE, "projects");
  if (!existsSync(SYSTEM_PLACE) || readDir(projects).length > 0) return [];
  removeTree(SYSTEM_PLACE, [SYSTEM_PLACE]);
  return [SYSTEM_PLACE];
}

function moveFolder(from: string, to: string) {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    // Another file system: copy first, delete the original only once the copy is complete.
    cpSync(from, `${to}.partial`, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    renameSync(`${to}.partial`, to);
    rmSync(from, { recursive: true, force: true });
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function readDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
