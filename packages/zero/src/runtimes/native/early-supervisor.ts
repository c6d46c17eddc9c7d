import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readEnvFile } from "../../config/env-file.js";
import { findRoot } from "../../config/root.js";
import { defaultRuntime } from "../table.js";
import { bootSupervisor, type SupervisorBoot } from "./supervisor-boot.js";
import { statePath } from "./supervisor/state-path.js";

export interface EarlyOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** `--set NAME=value` flags. */
  set: Record<string, string>;
  /** `--runtime`. */
  runtime?: string;
}

/**
 * `zero up` of a native stack starts the supervisor's process before it loads the project: Node's own start and the
 * supervisor's code (~0.1 s) then overlap loading and checking the project instead of following them. Where the
 * stack lives is guessed from what can be read without loading the project (ZERO_HOME and ZERO_RUNTIME from
 * --set, the environment or .env); the start takes the process only when the loaded project agrees, and stops it
 * otherwise. Only for a home that has run before (its logs folder exists: a guess never creates a folder) and holds
 * no record (the checks of a running or dead stack come first; the supervisor's log is rotated only with none).
 */
export function bootEarly({ cwd, env, set, runtime }: EarlyOptions): SupervisorBoot | undefined {
  try {
    const root = findRoot(cwd);
    const dotEnv = readEnvFile(join(root, ".env"));
    const setting = (name: string) => set[name] ?? env[name] ?? dotEnv?.[name]?.value;
    if ((runtime ?? setting("ZERO_RUNTIME") ?? defaultRuntime) !== "native") return undefined;
    const home = resolve(root, setting("ZERO_HOME") ?? ".zero");
    // A record (a running stack, or one whose supervisor died) takes the checks first; so does a home never run.
    if (existsSync(statePath(home)) || !existsSync(join(home, "logs"))) return undefined;
    return bootSupervisor(root, home);
  } catch {
    return undefined; // loading the project says what is wrong, with the usual path
  }
}
