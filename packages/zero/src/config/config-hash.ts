import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A hash of what a project's configuration is read from: stack.yaml and every .env* file of its root, by content
 * (mtimes lie: an edit made while `up` starts, or files restored by tar, cp -p or rsync -t). Taken when the project
 * is loaded and kept in the registry entry, so `zero status` and `zero down` can tell an unchanged configuration
 * from an edited one without parsing it. Undefined when a file cannot be read.
 */
export function configHash(root: string): string | undefined {
  try {
    const files = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isFile() && (entry.name === "stack.yaml" || entry.name.startsWith(".env")))
      .map((entry) => entry.name)
      .sort();
    const hash = createHash("sha256");
    for (const name of files)
      hash
        .update(`${name}\0`)
        .update(readFileSync(join(root, name)))
        .update("\0");
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}
