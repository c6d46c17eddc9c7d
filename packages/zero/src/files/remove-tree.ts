import { existsSync, lstatSync, realpathSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { ZeroError } from "../errors/zero-error.js";

/**
 * Deletes a file or folder tree, but only when where it really is (links and `..` resolved) lies inside one of
 * `places`, the project's own data places; anything else is refused with ZERO_DELETE_REFUSED before anything is
 * deleted. A link is removed as a link: rm never follows it.
 */
export function removeTree(path: string, places: string[]): void {
  assertContained(path, places);
  rmSync(path, { recursive: true, force: true });
}

/** Throws ZERO_DELETE_REFUSED unless `path` (resolved as it would be deleted) lies inside one of `places`. */
export function assertContained(path: string, places: string[]): void {
  const real = whereItIs(path);
  if (real === undefined) return; // nothing there: nothing to delete
  const roots = places.map(realOrResolved);
  if (roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`))) return;
  throw new ZeroError(
    "ZERO_DELETE_REFUSED",
    `Refused to delete ${path}: it is really ${real}, outside this project's data places.`,
    {
      why: `zero deletes only inside ${roots.join(" and ")}; a link or a path with .. that leads elsewhere could delete someone else's files.`,
      next: `Check that path (ls -l ${path}); delete it yourself if it really is this project's, or remove the link, then run the command again.`,
    },
  );
}

/**
 * Where the entry really is, resolved as the kernel will when deleting it (never lexically: `projects/..` climbs
 * from wherever `projects` leads). A link keeps its own name: rm deletes the link, not its target.
 */
function whereItIs(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return realpathSync(path);
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return undefined; // nothing there (or a folder above it is gone)
  }
}

/** The real path; for a path not made yet, its nearest existing folder's real path plus the rest. */
function realOrResolved(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : resolve(realOrResolved(parent), basename(absolute));
}
