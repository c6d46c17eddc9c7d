import * as z from "zod";

// GET /v1/logs: recent lines as JSON, or with follow=1 a Server-Sent Events stream (each event's id resumes it).

/** One log line as the control API serves it: secrets already masked. */
export const logEntrySchema = z.object({
  ts: z.string(),
  service: z.string(),
  line: z.string(),
});

export const logHistorySchema = z.array(logEntrySchema);

const count = z.coerce.number().int().min(0);

export const logsQuerySchema = z.object({
  service: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "a service name")
    .optional(),
  /** How many recent lines (default 200). */
  tail: count.max(5_000).default(200),
  /** ISO time: only lines at or after it. */
  since: z.string().optional(),
  follow: z.literal("1").optional(),
  /** Only lines after this event id (what Last-Event-ID carries when a follower reconnects). */
  after: count.optional(),
});

export type LogEntry = z.infer<typeof logEntrySchema>;
export type LogsQuery = z.input<typeof logsQuerySchema>;
