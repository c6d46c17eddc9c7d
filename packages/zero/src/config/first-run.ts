import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEnvFile } from "./env-file.js";

/** Placeholders in .env.example that must never be used as real secrets. */
const PLACEHOLDER = /CHANGE_ME[A-Za-z0-9_]*/g;

export function isPlaceholder(value: string): boolean {
  return value.includes("CHANGE_ME");
}

/** A random secret that needs no quoting in URLs or shells. */
export function generateSecret(): string {
  return randomBytes(18).toString("base64url").replace(/[-_]/g, "x");
}

/**
 * On the first run, creates .env from .env.example with freshly generated secrets.
 * Returns true when it did; an existing .env is never touched.
 */
export function ensureEnvFile(root: string): boolean {
  const target = join(root, ".env");
  if (existsSync(target)) return false;
  const example = join(root, ".env.example");
  if (!existsSync(example)) return false;
  // Written, not copied: a copy takes the template's mode (0644 in a checkout), and .env holds the passwords.
  const text = readFileSync(example, "utf8").replace(PLACEHOLDER, () => generateSecret());
  writeFileSync(target, text, { mode: 0o600, flag: "wx" });
  chmodSync(target, 0o600); // whatever the umask
  return true;
}

/**
 * Replaces CHANGE_ME placeholders left in .env by fresh secrets (creating .env if needed).
 * Real secrets are never changed: the database was initialised with them.
 */
export function replacePlaceholders(root: string): string[] {
  if (ensureEnvFile(root)) return ["(all: .env was created)"];
  const target = join(root, ".env");
  if (!existsSync(target)) return [];
  const replaced: string[] = [];
  const text = readFileSync(target, "utf8").replace(/^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*)CHANGE_ME[A-Za-z0-9_]*/gm, (_m, prefix: string, name: string) => {
    replaced.push(name);
    return `${prefix}${generateSecret()}`;
  });
  if (replaced.length > 0) writeFileSync(target, text, { mode: 0o600 });
  return replaced;
}

/**
 * Variables whose value zero generates (a CHANGE_ME placeholder in .env.example): secrets whatever their name
 * (SESSION_KEY, DB_PASS), so their values are masked like a PASSWORD's.
 */
export function generatedSecretNames(root: string): string[] {
  const example = readEnvFile(join(root, ".env.example")) ?? {};
  return Object.entries(example)
    .filter(([, entry]) => isPlaceholder(entry.value))
    .map(([name]) => name);
}
