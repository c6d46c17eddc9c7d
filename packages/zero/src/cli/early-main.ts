import { parseCommandLine, parseSets } from "./arguments.js";
import { startEarly } from "../runtimes/early-start.js";

/** What `zero up` started before the CLI itself loaded (runtimes/early-start.ts), handed to `main`. */
export interface Started {
  early: unknown;
}

/**
 * `zero up`/`dev`: what the runtime can start before anything else loads starts now (the native supervisor's process).
 * bin/zero.js runs this one-file bundle (dist/early.js) before it imports the CLI: the supervisor's Node then starts
 * while the CLI's ~50 files load, instead of after the 15 that led to the spawn inside it. Undefined for any other
 * command; a command line it cannot read is left to the CLI to report.
 */
export async function startBeforeCli(argv: string[]): Promise<Started | undefined> {
  try {
    const { positionals, values } = parseCommandLine(argv);
    const name = positionals[0];
    if (values.help || (name !== "up" && name !== "dev")) return undefined;
    return {
      early: await startEarly({
        cwd: process.cwd(),
        env: process.env,
        set: parseSets(values.set ?? []),
        runtime: values.runtime || undefined,
      }),
    };
  } catch {
    return undefined;
  }
}
