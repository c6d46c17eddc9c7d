// One masker for the whole project (packages/contracts/src/mask.ts): the same mask string in the CLI, the
// supervisor's logs, the API and the dashboard.
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { isSecretName } from "@zero/contracts/mask";

export { createMasker, isSecretName, MASK, maskDeep } from "@zero/contracts/mask";

/** Larger files named by *_FILE are not secrets but data (a certificate bundle, a dump): not read. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * The secret values among a set of variables: those with a secret's name, those stack.yaml declares secret
 * (`secrets: [SESSION_KEY]`), and the contents of the files that secret `*_FILE` variables name (relative to root):
 * `POSTGRES_PASSWORD_FILE`, or `SESSION_KEY_FILE` when SESSION_KEY is declared. Other files (LOG_FILE, PID_FILE,
 * VERSION_FILE) are not read: a pid or `1.2.3` would otherwise be masked everywhere.
 */
export function secretValues(values: Record<string, string>, declared: string[] = [], root = "."): string[] {
  const secret = new Set(declared);
  const found: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (isSecretName(name) || secret.has(name)) found.push(value);
    if (value && isSecretFileVariable(name, secret)) found.push(...fileSecret(resolve(root, value)));
  }
  return found;
}

function isSecretFileVariable(name: string, declared: Set<string>): boolean {
  if (!name.endsWith("_FILE")) return false;
  const base = name.slice(0, -"_FILE".length);
  return isSecretName(base) || declared.has(base) || declared.has(name);
}

/** A secret file's contents, as read and as a program reading one line would see it. */
function fileSecret(path: string): string[] {
  try {
    if (!statSync(path).isFile() || statSync(path).size > MAX_SECRET_FILE_BYTES) return [];
    const text = readFileSync(path, "utf8");
    return [text, text.trim()].filter((value) => value.length > 0);
  } catch {
    return []; // a path inside a container (/run/secrets/…) or not written yet: nothing on this machine to mask
  }
}
