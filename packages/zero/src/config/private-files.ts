import { chmodSync, existsSync, lstatSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { ZeroError } from "../errors/zero-error.js";

/** Folders of the stack home that hold secrets: the passwords, the control token, the local CA's key, backups. */
const PRIVATE_FOLDERS = ["secrets", "run", "control", "https", "backups"];
/** Files of the stack home that hold secrets: the supervisor's state (its control token). */
const PRIVATE_FILES = ["state.json"];

/**
 * Makes the secret-bearing files and folders private (files 0600, folders 0700) where another user could read them:
 * a .env copied with a template's mode, a folder made by an older zero or by hand. Returns one note naming what it
 * changed, or none. Only what this user owns is touched; a symlink is left alone (its target is not ours to judge).
 */
export function repairPrivateModes(root: string, home: string): string[] {
  const envFiles = existsSync(root)
    ? readdirSync(root).filter((name) => /^\.env(\..+)?$/.test(name) && name !== ".env.example")
    : [];
  const fixed = [
    ...envFiles.map((name) => makePrivate(join(root, name), 0o600, root)),
    ...PRIVATE_FILES.map((name) => makePrivate(join(home, name), 0o600, root)),
    ...PRIVATE_FOLDERS.map((name) => makePrivate(join(home, name), 0o700, root)),
  ].filter((change) => change !== undefined);
  if (fixed.length === 0) return [];
  return [`Made private (other users could read them): ${fixed.join(", ")}.`];
}

function makePrivate(path: string, mode: number, root: string): string | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink() || stat.uid !== process.getuid?.() || (stat.mode & 0o077) === 0) return undefined;
  chmodSync(path, mode);
  return `${relative(root, path) || path} (was ${(stat.mode & 0o777).toString(8)})`;
}

/**
 * A read-only command found no .env although a stack started with one still runs here: writing a new .env would
 * give it passwords the running stack and its data do not use, so this stops with how to get the old ones back.
 */
export function assertEnvNotLost(root: string, home: string): void {
  if (existsSync(join(root, ".env")) || !existsSync(join(root, ".env.example"))) return;
  const running = ["state.json", "control/server.json", "k8s-forward.json"].some((file) =>
    existsSync(join(home, file)),
  );
  if (!running) return;
  throw new ZeroError("ZERO_ENV_MISSING", ".env is missing, but a stack started with one is still running here.", {
    details: [
      "Its passwords are still where the running stack keeps them:",
      "  native:  the API's environment (DATABASE_URL, REDIS_URL): tr '\\0' '\\n' < /proc/<api pid>/environ,",
      "           the api pid from `ps -eo pid,args | grep scripts/dev.mjs`; Redis's also in .zero/run/redis.conf",
      "  compose: .zero/secrets/ (one file per secret)",
    ],
  });
}
