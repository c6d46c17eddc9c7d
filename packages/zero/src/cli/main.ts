import { parseArgs } from "node:util";
import { loadProject, type Project } from "../config/project.js";
import { isZeroError, ZeroError } from "../errors/zero-error.js";
import { config } from "./commands/config.js";
import { down } from "./commands/down.js";
import { help } from "./commands/help.js";
import { schema } from "./commands/schema.js";
import { status } from "./commands/status.js";
import { up } from "./commands/up.js";
import { createOutput, printError, type Output } from "./output.js";

type Command = (project: Project, out: Output, options: { json?: boolean }) => Promise<number>;

const commands: Record<string, Command> = { up, dev: up, down, status, config };

/** Parses the command line, loads the project, runs one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let out = createOutput();
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        profile: { type: "string" },
        runtime: { type: "string" },
        set: { type: "string", multiple: true },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    const name = positionals[0] ?? "help";
    if (values.help || name === "help") return help(out);
    if (name === "schema") return schema(out, positionals[1]);
    const command = commands[name];
    if (!command) throw new ZeroError("ZERO_USAGE", `Unknown command "${name}".`);
    const project = loadProject({
      cwd: process.cwd(),
      env: process.env,
      profile: values.profile || undefined,
      runtime: values.runtime || undefined,
      set: parseSets(values.set ?? []),
      only: name === "up" || name === "dev" ? positionals.slice(1) : [],
    });
    out = createOutput(project.mask);
    return await command(project, out, { json: values.json });
  } catch (error) {
    const failure = isZeroError(error) ? error : usageOrInternal(error);
    printError(out, failure);
    if (process.env.ZERO_DEBUG && error instanceof Error) out.error(error.stack ?? "");
    return failure.exitCode;
  }
}

function parseSets(sets: string[]): Record<string, string> {
  return Object.fromEntries(
    sets.map((set) => {
      const at = set.indexOf("=");
      if (at <= 0) throw new ZeroError("ZERO_USAGE", `--set expects NAME=VALUE, got "${set}".`);
      return [set.slice(0, at), set.slice(at + 1)];
    }),
  );
}

function usageOrInternal(error: unknown): ZeroError {
  const code = (error as { code?: string })?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    return new ZeroError("ZERO_USAGE", (error as Error).message, { cause: error });
  }
  return new ZeroError("ZERO_INTERNAL", (error as Error)?.message ?? String(error), { cause: error });
}
