import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./cli.js";

/** A throwaway ZERO_HOME (enterable by the postgres user) and free ports for one test's stack. */
export async function isolatedEnv(ports: string[], extra: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), "zero-home-"));
  chmodSync(home, 0o755);
  const env: Record<string, string> = { ZERO_HOME: home, ...extra };
  for (const name of ports) env[name] = String(await freePort());
  return env;
}
