import { isZeroError } from "../errors/zero-error.js";
import { parseCommandLine, recordOptions, usageOrInternal } from "./arguments.js";
import { createOutput, printError } from "./output.js";
import { runFromRecord } from "./record-path.js";

/**
 * `zero status` and `zero down` of a running native stack, as a bundle of their own (dist/record.cjs: one file, no
 * shared chunks), which bin/zero.js runs first for these two commands: Node loads one file in 10–20 ms less CPU than
 * the ~45 chunks cli.js imports for the same path. Undefined when dist/cli.js must run instead: any other command
 * line, a usage error (it says which), or anything record-path.ts leaves to the full path.
 */
export async function runRecorded(argv: string[]): Promise<number | undefined> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv);
  } catch {
    return undefined;
  }
  const { positionals, values } = command;
  const name = positionals[0];
  if ((name !== "status" && name !== "down") || values.all || values.help) return undefined;
  try {
    return await runFromRecord(name, recordOptions(values));
  } catch (error) {
    const failure = isZeroError(error) ? error : usageOrInternal(error);
    printError(createOutput(), failure);
    return failure.exitCode;
  }
}
