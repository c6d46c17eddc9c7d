import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The path of a service's data folder under <home>/data. The shared parent stays 0755 so
 * unprivileged service users (postgres) can enter it; each service's own folder is private.
 */
export function serviceDataDir(home: string, service: string): string {
  const parent = join(home, "data");
  mkdirSync(parent, { recursive: true });
  chmodSync(parent, 0o755);
  return join(parent, service);
}
