import { execa, type ResultPromise } from "execa";

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
