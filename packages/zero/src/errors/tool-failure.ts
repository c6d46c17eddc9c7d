import { statSync } from "node:fs";
import { dirname } from "node:path";

/** How many of a failed tool's last lines go under the error. */
const TAIL = 20;

/**
 * The last lines a failed external tool (initdb, postgres, redis-server, docker, npm) printed, for an error's
 * details. Falls back to the error's own message when the tool printed nothing: a program that could not even be
 * started (spawn EACCES, ENOENT) says why only there.
 */
export function toolOutput(cause: unknown): string[] {
  const error = cause as {
    all?: unknown;
    stderr?: unknown;
    stdout?: unknown;
    shortMessage?: unknown;
    message?: unknown;
  };
  const printed = [error.all, error.stderr, error.stdout].find(
    (value) => typeof value === "string" && value.trim() !== "",
  );
  const text = String(printed ?? error.shortMessage ?? error.message ?? cause);
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(-TAIL);
}

/** The account a tool ran as, so a permission problem can name who lacked access. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/** A recognised cause: why it failed and the exact next step. */
export interface Diagnosis {
  why: string;
  next: string;
}

/**
 * Reads a tool's output for the causes a user can fix: a path it may not enter, a read-only or full disk, a port
 * already taken, a program that is missing. Undefined when nothing is recognised (the caller's generic words stay).
 */
export function diagnose(lines: string[], runAs?: RunAs): Diagnosis | undefined {
  const denied = pathOnLine(lines, /Permission denied|EACCES/i);
  if (denied) {
    const who = runAs ? `user ${runAs.name}` : "this user";
    const blocker = denied.path && runAs ? firstBlockedFolder(denied.path, runAs) : undefined;
    if (blocker) {
      return {
        why: `Permission denied: ${who} cannot enter ${blocker} (mode ${modeOf(blocker)}, owner uid ${statSync(blocker).uid}) on the way to ${denied.path}.`,
        next: `Give only that user entry with \`setfacl -m u:${runAs!.name}:x ${blocker}\` (Debian package acl), or move the project to a folder ${runAs!.name} can enter; then \`make dev\` again.`,
      };
    }
    return {
      why: `Permission denied${denied.path ? ` on ${denied.path}` : ""} for ${who}.`,
      next: denied.path
        ? `See who owns ${denied.path} and each folder above it (\`namei -l ${denied.path}\`), let ${who} in, then \`make dev\` again.`
        : `Check the permissions of the paths in the output above for ${who}, then \`make dev\` again.`,
    };
  }
  const readOnly = pathOnLine(lines, /Read-only file system|EROFS/);
  if (readOnly) {
    return {
      why: `${readOnly.path ?? "A folder it writes to"} is on a read-only file system.`,
      next: "Move the project (or set ZERO_HOME) to a writable folder, or remount it read-write, then `make dev` again.",
    };
  }
  const full = pathOnLine(lines, /No space left on device|ENOSPC/);
  if (full) {
    return {
      why: `The disk is full (No space left on device${full.path ? ` writing ${full.path}` : ""}).`,
      next: "Free some space (`df -h .` shows what is left; `make down volumes=1` deletes the stack's own data), then `make dev` again.",
    };
  }
  const taken = lines.find((line) => /Address already in use|EADDRINUSE/i.test(line));
  if (taken) {
    // An address with its port (127.0.0.1:6379, [::1]:3001, *:80), else "port N"; log timestamps also hold colons.
    const port = (/(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\]|\*):(\d{2,5})\b/.exec(taken) ??
      /port (\d{2,5})\b/i.exec(taken))?.[1];
    return {
      why: `Port ${port ?? "it needs"} is already taken by another program.`,
      next: `Find its owner with \`lsof -i :${port ?? "<port>"}\` and stop it, or run \`make dev auto_ports=1\` to pick free ports.`,
    };
  }
  // Redis 7: "Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF ..."
  const aof = lines.map((line) => /Bad file format reading the append only file (\S+?):?\s/.exec(line)).find(Boolean);
  if (aof) {
    return {
      why: `Redis's append-only file ${aof[1]} is damaged (a write cut off or garbled, e.g. by a crash or a full disk while writing); Redis will not start on it rather than guess.`,
      next:
        `Copy the Redis data folder first (.zero/data/<service>, its appendonlydir holds ${aof[1]}), then run \`redis-check-aof --fix appendonlydir/appendonly.aof.manifest\` in it: ` +
        `it cuts ${aof[1]} at the first damaged command, so that command and every write after it are lost (what came before stays). ` +
        "Or `make down volumes=1` to start with empty data. Then `make dev` again.",
    };
  }
  const missing = lines.map((line) => /spawn (\S+) ENOENT|(\S+): (?:command )?not found/.exec(line)).find(Boolean);
  if (missing) {
    return {
      why: `The program ${missing[1] ?? missing[2]} is not installed (or not on PATH).`,
      next: "Run `make doctor` for the install command, then `make dev` again.",
    };
  }
  return undefined;
}

/** The first line matching what, and the first absolute path on it (quoted or not), if any. */
function pathOnLine(lines: string[], what: RegExp): { path: string | undefined } | undefined {
  const line = lines.find((candidate) => what.test(candidate));
  if (line === undefined) return undefined;
  return { path: /(?:^|[\s"'`(])(\/[^\s"'`:,()]+)/.exec(line)?.[1] };
}

/** The first folder on the way to path that the account may not enter (search permission), if any. */
export function firstBlockedFolder(path: string, runAs: RunAs): string | undefined {
  const folders: string[] = [];
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (folder === dirname(folder)) break;
  }
  return folders.find((folder) => {
    try {
      return !canSearch(statSync(folder), runAs);
    } catch {
      return false; // not there (yet): nothing to enter
    }
  });
}

function canSearch(stat: { mode: number; uid: number; gid: number }, runAs: RunAs): boolean {
  if (runAs.uid === 0) return true;
  if (stat.uid === runAs.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === runAs.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}
