import * as z from "zod";

// GET /v1/stacks: this stack's name and the other stacks of this user on this machine (the per-user registry that
// `zero stacks` lists), so the dashboard links to theirs. Never a token, a password or a path outside the name.

/** A stack as the dashboard names it: its checkout's folder and branch. */
export const stackNameSchema = z.object({
  name: z.string(),
  branch: z.string().optional(),
});

/** Another running stack of this user: what tells it apart, and its dashboard's address (no credentials in it). */
export const otherStackSchema = stackNameSchema.extend({
  runtime: z.string(),
  profile: z.string(),
  state: z.enum(["starting", "running"]),
  /** Its web dashboard (the Web URL); absent when its profile has no dashboard. */
  webUrl: z.string().optional(),
});

export const stacksViewSchema = z.object({
  self: stackNameSchema,
  others: z.array(otherStackSchema),
});

export type StackName = z.infer<typeof stackNameSchema>;
export type OtherStack = z.infer<typeof otherStackSchema>;
/** GET /v1/stacks. */
export type StacksView = z.infer<typeof stacksViewSchema>;
