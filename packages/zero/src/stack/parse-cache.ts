import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

// Past this many files (each edit of a stack file adds one) the folder is emptied and refills.
const MAX_ENTRIES = 100;

/**
 * Where parsed stack files are kept: $XDG_CACHE_HOME/zero-to-running/stack-files, else ~/.cache/...; private (0700),
 * as a stack file may hold a value someone typed in.
 */
export function parseCacheDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "zero-to-running", "stack-files");
}

/**
 * A stack file's parsed form (plain data), kept by the hash of its text and of the code that parsed it: parsing
 * stack.yaml took ~50 ms of every command's start (the YAML parser compiling itself on first use), reading it back
 * ~1 ms. A text that fails to parse throws from `parse` and is never kept; any cache trouble only costs the speed-up.
 */
export function parseCached(text: string, parse: (text: string) => unknown, dir = parseCacheDir()): unknown {
  // The bundle's chunk names carry their content's hash: a rebuilt parser is a new key.
  const key = createHash("sha256")
    .update(import.meta.url)
    .update("\0")
    .update(text)
    .digest("hex")
    .slice(0, 32);
  const file = join(dir, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // not kept yet (or unreadable): parsed below
  }
  const value = parse(text);
  try {
    keep(dir, file, JSON.stringify(value, onlyJson));
  } catch {
    // not plain JSON (an infinite number), or an unwritable folder: parsed each time
  }
  return value;
}

function keep(dir: string, file: string, json: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (readdirSync(dir).length >= MAX_ENTRIES) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, json, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Refuses what JSON cannot give back as it was (NaN and ±Infinity would come back as null). */
function onlyJson(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error("not representable in JSON");
  return value;
}
