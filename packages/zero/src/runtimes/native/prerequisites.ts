import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ZeroError } from "../../errors/zero-error.js";
import type { OsProgram } from "../../kinds/kind.js";
import { isRoot } from "./os-user.js";

/** A program and the OS packages that ship it (redis-server, memcached). */
export type ProgramSource = Pick<OsProgram, "command" | "packages">;

/** The path of a program from the OS, installing it where that is safe and unattended (Debian as root, Homebrew). */
export async function ensureOsProgram(program: ProgramSource, note: (message: string) => void): Promise<string> {
  const found = which(program.command);
  if (found) return found;
  const install = installCommand(program);
  if (install.automatic) {
    note(`${program.command} is not installed; installing it with \`${install.command.join(" ")}\``);
    try {
      const { execa } = await import("execa"); // only to install: a start with the program present never loads it
      if (install.update) await execa(install.update[0]!, install.update.slice(1), { env: { DEBIAN_FRONTEND: "noninteractive" } });
      await execa(install.command[0]!, install.command.slice(1), { env: { DEBIAN_FRONTEND: "noninteractive" } });
    } catch (cause) {
      throw missing(program.command, install.command.join(" "), cause);
    }
    const installed = which(program.command);
    if (installed) return installed;
  }
  throw missing(program.command, install.command.join(" "));
}

function missing(program: string, command: string, cause?: unknown) {
  return new ZeroError("ZERO_PREREQ_MISSING", `${program} is not installed.`, {
    why: `The native runtime runs ${program} from your operating system's package.`,
    next: `Install it with \`${command}\`, then run \`make dev\` again (or use \`make dev runtime=compose\`).`,
    cause,
  });
}

/** How to install the program here, and whether zero may do it without asking. */
function installCommand({ packages }: ProgramSource): { command: string[]; update?: string[]; automatic: boolean } {
  if (process.platform === "darwin") return { command: ["brew", "install", packages.brew], automatic: existsSync("/opt/homebrew/bin/brew") || existsSync("/usr/local/bin/brew") };
  if (existsSync("/usr/bin/apt-get")) {
    const command = ["apt-get", "install", "-y", packages.apt];
    return isRoot()
      ? { command, update: ["apt-get", "update"], automatic: true }
      : { command: ["sudo", ...command], automatic: false };
  }
  if (existsSync("/usr/bin/dnf")) return { command: ["sudo", "dnf", "install", "-y", packages.dnf], automatic: false };
  return { command: [`<your package manager> install ${packages.apt}`], automatic: false };
}

/** The program's path as the shell's `command -v` finds it on PATH (looked up here: a shell per start cost ~20 ms). */
function which(command: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (!folder) continue;
    const path = join(folder, command);
    try {
      accessSync(path, constants.X_OK);
      if (statSync(path).isFile()) return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
