import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/**
 * The checkout's branch, read from .git/HEAD (no `git` process: `make dev` pays for nothing); in a worktree, .git
 * is a file naming its own git folder. A detached HEAD gives its short commit; no repository gives undefined.
 */
export function currentBranch(root: string): string | undefined {
  const gitDir = gitFolder(root);
  if (!gitDir) return undefined;
  try {
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    const ref = /^ref: refs\/heads\/(.+)$/.exec(head);
    return ref ? ref[1] : head.slice(0, 7) || undefined;
  } catch {
    return undefined;
  }
}

function gitFolder(root: string): string | undefined {
  const dotGit = join(root, ".git");
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
  if (!pointer) return undefined;
  return isAbsolute(pointer) ? pointer : resolve(root, pointer);
}
