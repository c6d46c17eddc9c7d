import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Placeholders in .env.example that must never be used as real secrets. */
export const PLACEHOLDER = /CHANGE_ME[A-Za-z0-9_]*/g;

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
  copyFileSync(example, target);
  const text = readFileSync(target, "utf8").replace(PLACEHOLDER, () => generateSecret());
  writeFileSync(target, text, { mode: 0o600 });
  return true;
}
