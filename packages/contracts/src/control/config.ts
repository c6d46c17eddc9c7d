import * as z from "zod";

// GET /v1/config: the effective configuration read from the files now, as `zero config` shows it.

/** One setting: never a secret's value (masked). */
export const configRowSchema = z.object({
  name: z.string(),
  value: z.string(),
  source: z.string(),
  description: z.string(),
});

export const configViewSchema = z.object({
  profile: z.string(),
  runtime: z.string(),
  settings: z.array(configRowSchema),
  /** Each invalid value with where it is set and an example of a valid one; empty when all are valid. */
  problems: z.array(z.string()),
  next: z.string().optional(),
  /** The files now say something else than what the running stack was started with: a restart applies it. */
  changedSinceStart: z.boolean(),
});

export type ConfigRow = z.infer<typeof configRowSchema>;
export type ConfigView = z.infer<typeof configViewSchema>;
