import { execa } from "execa";
import { repoRoot } from "./cli.js";

/** Runs a make target of the repository exactly as a developer would. */
export function make(target: string, args: string[], env: Record<string, string>) {
  return execa("make", ["--no-print-directory", target, ...args], {
    cwd: repoRoot,
    env: { NO_COLOR: "1", ...env },
    reject: false,
    all: true,
    timeout: 180_000,
  });
}
