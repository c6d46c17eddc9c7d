import { execa, type ResultPromise } from "execa";
import type { Service } from "../../src/stack/schema.js";
import { repoRoot } from "./cli.js";

/** What preparePostgres hands the supervisor to launch. */
export interface PreparedLaunch {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  uid?: number;
  gid?: number;
}

/** Runs a prepared PostgreSQL as the supervisor would: its own environment only, as its own user when zero is root. */
export function runPrepared(launch: PreparedLaunch): ResultPromise {
  return execa(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    extendEnv: false,
    uid: launch.uid,
    gid: launch.gid,
    reject: false,
  });
}

/**
 * Prepares a native PostgreSQL on `port` (role and database "app", this password) in `home` and runs it as the
 * supervisor would. Set ZERO_SYSTEM_DATA first when the tests run as root: the driver reads it as it loads.
 */
export async function launchPostgres(port: number, password: string, home: string) {
  const { preparePostgres } = await import("../../src/runtimes/native/drivers/postgres.js");
  const service = {
    name: "postgres",
    kind: "postgres",
    ports: { main: port },
    env: { POSTGRES_USER: "app", POSTGRES_DB: "app", POSTGRES_PASSWORD: password },
  } as unknown as Service;
  const launch = await preparePostgres(service, {
    root: repoRoot,
    home,
    note: () => {},
    signal: new AbortController().signal,
  });
  return { launch, server: runPrepared(launch) };
}
