import { existsSync } from "node:fs";
import { execa } from "execa";
import { ZeroError } from "../../errors/zero-error.js";
import { isRoot } from "./os-user.js";

/** The path of redis-server, installing it where that is safe and unattended (Debian as root, Homebrew). */
export async function ensureRedisServer(note: (message: string) => void): Promise<string> {
  const found = await which("redis-server");
  if (found) return found;
  const install = installCommand();
  if (install.automatic) {
    note(`redis-server is not installed; installing it with \`${install.command.join(" ")}\``);
    try {
      if (install.update) await execa(install.update[0]!, install.update.slice(1), { env: { DEBIAN_FRONTEND: "noninteractive" } });
      await execa(install.command[0]!, install.command.slice(1), { env: { DEBIAN_FRONTEND: "noninteractive" } });
    } catch (cause) {
      throw missing(install.command.join(" "), cause);
    }
    const installed = await which("redis-server");
    if (installed) return installed;
  }
  throw missing(install.command.join(" "));
}

function missing(command: string, cause?: unknown) {
  return new ZeroError("ZERO_PREREQ_MISSING", "redis-server is not installed.", {
    why: "The native runtime runs Redis from your operating system's package.",
    next: `Install it with \`${command}\`, then run \`make dev\` again (or use \`make dev runtime=compose\`).`,
    cause,
  });
}

/** How to install redis-server here, and whether zero may do it without asking. */
function installCommand(): { command: string[]; update?: string[]; automatic: boolean } {
  if (process.platform === "darwin") return { command: ["brew", "install", "redis"], automatic: existsSync("/opt/homebrew/bin/brew") || existsSync("/usr/local/bin/brew") };
  if (existsSync("/usr/bin/apt-get")) {
    const command = ["apt-get", "install", "-y", "redis-server"];
    return isRoot()
      ? { command, update: ["apt-get", "update"], automatic: true }
      : { command: ["sudo", ...command], automatic: false };
  }
  if (existsSync("/usr/bin/dnf")) return { command: ["sudo", "dnf", "install", "-y", "redis"], automatic: false };
  return { command: ["<your package manager> install redis"], automatic: false };
}

async function which(command: string): Promise<string | undefined> {
  const result = await execa("sh", ["-c", `command -v ${command}`], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
