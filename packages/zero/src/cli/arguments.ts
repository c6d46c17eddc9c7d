import { parseArgs } from "node:util";
import { ZeroError } from "../errors/zero-error.js";
import type { RecordPathOptions } from "./record-path.js";

/** The command line: every option any command takes (each command reads its own). */
export function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: "string" },
      with: { type: "string", multiple: true },
      runtime: { type: "string" },
      set: { type: "string", multiple: true },
      json: { type: "boolean" },
      "auto-ports": { type: "boolean" },
      follow: { type: "boolean", short: "f" },
      "no-follow": { type: "boolean" },
      tail: { type: "string" },
      since: { type: "string" },
      help: { type: "boolean", short: "h" },
      yes: { type: "boolean", short: "y" },
      "no-seed": { type: "boolean" },
      check: { type: "boolean" },
      force: { type: "boolean" },
      volumes: { type: "boolean" },
      report: { type: "boolean" },
      all: { type: "boolean" },
    },
  });
}

export type CommandLine = ReturnType<typeof parseCommandLine>;

/** What `zero status` and `zero down` read from the record path's point of view (cli/record-path.ts). */
export function recordOptions(values: CommandLine["values"]): RecordPathOptions {
  const { profile, with: withs, runtime, json, volumes } = values;
  return {
    cwd: process.cwd(),
    env: process.env,
    profile,
    with: withs,
    runtime,
    set: parseSets(values.set ?? []),
    json,
    volumes,
  };
}

export function parseSets(sets: string[]): Record<string, string> {
  return Object.fromEntries(
    sets.map((set) => {
      const at = set.indexOf("=");
      if (at <= 0) throw new ZeroError("ZERO_USAGE", `--set expects NAME=VALUE, got "${set}".`);
      return [set.slice(0, at), set.slice(at + 1)];
    }),
  );
}

export function usageOrInternal(error: unknown): ZeroError {
  const code = (error as { code?: string })?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    return new ZeroError("ZERO_USAGE", (error as Error).message, { cause: error });
  }
  return new ZeroError("ZERO_INTERNAL", (error as Error)?.message ?? String(error), { cause: error });
}
