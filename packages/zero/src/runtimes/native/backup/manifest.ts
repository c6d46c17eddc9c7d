import { z } from "zod";

/** What a backup holds, written into the archive (checked on restore) and beside it (for `make backups`). */
export const manifestSchema = z.object({
  format: z.literal(1),
  createdAt: z.iso.datetime(),
  /** The service whose data directory is archived; the archive's folder of the same name holds it. */
  service: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** The data directory's PG_VERSION (the server major version); a restore needs the same. */
  pgVersion: z.string().regex(/^\d+$/),
  database: z.string(),
  /** Applied migrations at backup time; null when the server was not running to ask. */
  migrations: z.array(z.string()).nullable(),
  sizeBytes: z.number().int().nonnegative(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = "manifest.json";
