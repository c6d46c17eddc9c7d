import type { Project } from "../config/project.js";

/** The parsed command line every command gets (apart from main.ts, so commands do not import their caller). */
export interface CommandOptions {
  json?: boolean;
  autoPorts?: boolean;
  follow?: boolean;
  tail?: number;
  since?: string;
  /** Confirms a destructive `zero db` action without asking (`--yes`; required without a terminal). */
  yes?: boolean;
  /** `zero up --force`: start a container runtime even with CHANGE_ME placeholder secrets. */
  force?: boolean;
  /** `zero down --volumes`: also remove the data (compose volumes, native data directory). */
  volumes?: boolean;
  /** `zero db reset --no-seed`: leave the recreated database empty. */
  noSeed?: boolean;
  /** Words after the command (e.g. the service of `zero logs api`). */
  positionals?: string[];
  /** `zero up`: what was started before the project was loaded, for the runtime it belongs to (UpOptions.early). */
  early?: unknown;
  /** Loads the project again with extra `--set` values (e.g. ports chosen by --auto-ports), or other services only. */
  reload: (set: Record<string, string>, only?: string[]) => Project;
}
