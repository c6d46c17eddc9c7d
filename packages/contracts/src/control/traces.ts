import * as z from "zod";
import { logEntrySchema } from "./logs.js";

// Traces (traces=1): the API sends OTLP/HTTP JSON to POST /v1/traces; the control API keeps the recent ones in memory
// (bounded in count and bytes) and serves them here, compact: GET /v1/traces lists, GET /v1/traces/:id shows one.

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

/** One span, as the waterfall draws it: times in ms (start since the epoch), attributes flattened and masked. */
export const traceSpanSchema = z.object({
  spanId: z.string(),
  parentId: z.string().optional(),
  name: z.string(),
  service: z.string(),
  kind: z.enum(["internal", "server", "client", "producer", "consumer"]),
  startMs: z.number(),
  durationMs: z.number(),
  status: z.enum(["unset", "ok", "error"]),
  statusMessage: z.string().optional(),
  attributes: z.record(z.string(), attributeValue),
});

/** A trace in the list: its root span's name, when, how long, how many spans, and whether any span failed. */
export const traceSummarySchema = z.object({
  traceId: z.string(),
  name: z.string(),
  service: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  spanCount: z.number().int(),
  error: z.boolean(),
  /** The HTTP status of the root span, when it is a request. */
  httpStatus: z.number().int().optional(),
});

export const traceListSchema = z.object({
  traces: z.array(traceSummarySchema),
  /** What the store holds and its bounds, so a client can say when old traces were dropped. */
  kept: z.object({
    traces: z.number().int(),
    bytes: z.number().int(),
    maxTraces: z.number().int(),
    maxBytes: z.number().int(),
  }),
});

/** One trace: its spans (parents before children, by start) and the log lines that carry its id. */
export const traceDetailSchema = traceSummarySchema.extend({
  spans: z.array(traceSpanSchema),
  logs: z.array(logEntrySchema),
});

export const traceOrders = ["recent", "slowest", "failed"] as const;

export const tracesQuerySchema = z.object({
  /** recent (newest first, default), slowest (longest first) or failed (only traces with an error, newest first). */
  order: z.enum(traceOrders).default("recent"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const traceParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, "a trace id: 32 hex digits") });

/** What POST /v1/traces answers (OTLP's ExportTraceServiceResponse; rejected spans are counted, not an error). */
export const traceIngestResultSchema = z.object({
  partialSuccess: z
    .object({ rejectedSpans: z.number().int().optional(), errorMessage: z.string().optional() })
    .optional(),
});

export type TraceSpan = z.infer<typeof traceSpanSchema>;
export type TraceSummary = z.infer<typeof traceSummarySchema>;
export type TraceList = z.infer<typeof traceListSchema>;
export type TraceDetail = z.infer<typeof traceDetailSchema>;
export type TraceOrder = (typeof traceOrders)[number];
export type TracesQuery = z.input<typeof tracesQuerySchema>;
