import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A hash of the names and contents of the files in these folders (say `{ migrations, seeds }`; an undefined folder
 * adds only its label): which schema files a database was brought to. The API's dev runner keeps it to skip its
 * schema check on a hot reload; zero keys its migrated clusters by it. A few small files: under a millisecond.
 * Kept apart from the index so that zero reads it without loading pg.
 */
export function schemaFilesHash(folders: Record<string, string | undefined>): string {
  const hash = createHash("sha256");
  for (const [label, dir] of Object.entries(folders)) {
    hash.update(`${label}\0`);
    if (!dir) continue;
    for (const name of readdirSync(dir).sort()) {
      hash.update(`${name}\0`);
      try {
        hash.update(readFileSync(join(dir, name)));
      } catch {
        // a folder: neither runner reads it
      }
      hash.update("\0");
    }
  }
  return hash.digest("hex");
}
