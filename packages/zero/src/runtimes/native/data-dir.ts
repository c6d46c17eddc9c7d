import { chmodSync, mkdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The path of a service's data folder under <home>/data. The shared parent stays 0755 so
 * unprivileged service users (postgres) can enter it; each service's own folder is private.
 * A folder that links elsewhere (a private project folder, ADR 11) is returned as where it really is,
 * so copies, restores and renames happen beside the data, not beside the link.
 */
export function serviceDataDir(home: string, service: string): string {
  const parent = join(home, "data");
  mkdirSync(parent, { recursive: true });
  if ((statSync(parent).mode & 0o777) !== 0o755) chmodSync(parent, 0o755);
  const path = join(parent, service);
  try {
    return realpathSync(path);
  } catch {
    return path; // not created yet
  }
}
