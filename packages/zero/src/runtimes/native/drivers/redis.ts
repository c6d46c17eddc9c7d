import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureOsProgram } from "../prerequisites.js";
import { serviceDataDir } from "../data-dir.js";
import type { PrepareService } from "./driver.js";

const REDIS_SERVER = { command: "redis-server", packages: { apt: "redis-server", brew: "redis", dnf: "redis" } };

/** redis-server from the OS with a password and AOF persistence; the password lives in a 0600 config file, not argv. */
export const prepareRedis: PrepareService = async (service, { home, note }) => {
  const command = await ensureOsProgram(REDIS_SERVER, note);
  const dataDir = serviceDataDir(home, service.name);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const configFile = join(home, "run", `${service.name}.conf`);
  mkdirSync(join(home, "run"), { recursive: true, mode: 0o700 });
  const password = (service.env.REDIS_PASSWORD ?? "").replace(/["\\]/g, "\\$&");
  writeFileSync(
    configFile,
    [
      "bind 127.0.0.1",
      `port ${service.ports.main}`,
      "protected-mode yes",
      `requirepass "${password}"`,
      `dir "${dataDir}"`,
      "appendonly yes",
      "appendfsync everysec",
      'save ""',
      "daemonize no",
      'logfile ""',
      // Redis acts on SIGTERM in its timer task, run `hz` times a second: at the default 10 a stop waited up to
      // 100 ms (median ~60) for it; at 50, 20 ms at most, for ~0.3 % of a core idle instead of ~0.1 %.
      "hz 50",
    ].join("\n") + "\n",
    { mode: 0o600 },
  );
  return { command, args: [configFile], cwd: dataDir, env: { PATH: process.env.PATH }, stopSignal: "SIGTERM" };
};
