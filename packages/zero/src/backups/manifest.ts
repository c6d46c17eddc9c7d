import { z } from "zod";
import { ZeroError } from "../errors/zero-error.js";

/** What a backup holds, written into the archive (checked on restore) and beside it (for `make backups`). */
export const manifestSchema = z.object({
  format: z.literal(1),
  createdAt: z.iso.datetime(),
  /** The runtime it was taken from; backups made before runtimes said so came from native. */
  runtime: z.string().default("native"),
  /**
   * data-directory: a copy of the stopped server's files (native; restorable only into the same major version).
   * pg_dump: a logical dump in pg_dump's custom format, file <service>.dump (compose).
   */
  contents: z.enum(["data-directory", "pg_dump"]).default("data-directory"),
  /** The service whose data is archived; the archive's entry of the same name holds it. */
  service: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** The server's major version at backup time. */
  pgVersion: z.string().regex(/^\d+$/),
  database: z.string(),
  /** Applied migrations at backup time; null when the server was not running to ask. */
  migrations: z.array(z.string()).nullable(),
  sizeBytes: z.number().int().nonnegative(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = "manifest.json";

/** A runtime restores only the contents it knows how to put back; anything else is refused with the reason. */
export function assertRestorable(
  archive: string,
  manifest: Manifest,
  runtime: string,
  contents: Manifest["contents"],
): void {
  if (manifest.contents === contents) return;
  const why =
    manifest.contents === "data-directory"
      ? `it is a copy of the ${manifest.runtime} runtime's PostgreSQL ${manifest.pgVersion} data directory, which only a PostgreSQL of the same major version can open as its own files; the ${runtime} runtime restores pg_dump backups`
      : `it is a pg_dump taken under the ${manifest.runtime} runtime; the ${runtime} runtime restores copies of its data directory`;
  throw new ZeroError(
    "ZERO_RESTORE_FAILED",
    `${archive} cannot be restored by the ${runtime} runtime: ${why}. Nothing was changed.`,
    {
      next: `Restore it with runtime=${manifest.runtime}, or take a backup under runtime=${runtime} (\`make backup-db runtime=${runtime}\`).`,
    },
  );
}
