import { existsSync, readFileSync } from "node:fs";
import { parse } from "dotenv";

export interface EnvFileEntry {
  value: string;
  line: number;
}

/** Parses a .env file, keeping the line each variable was set on (for error messages). */
export function readEnvFile(path: string): Record<string, EnvFileEntry> | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const values = parse(text);
  const lines = text.split(/\r?\n/);
  const entries: Record<string, EnvFileEntry> = {};
  for (const [name, value] of Object.entries(values)) {
    const assignment = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`);
    // The last assignment wins in dotenv too.
    const index = lines.findLastIndex((line) => assignment.test(line));
    entries[name] = { value, line: index + 1 };
  }
  return entries;
}
