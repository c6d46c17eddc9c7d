import {
  downResultSchema,
  restartResultSchema,
  serviceParamsSchema,
  startResultSchema,
  stopResultSchema,
} from "./actions.js";
import { configViewSchema } from "./config.js";
import { logEntrySchema, logHistorySchema, logsQuerySchema } from "./logs.js";
import { stacksViewSchema } from "./stacks.js";
import { stackStatusSchema, statusQuerySchema } from "./status.js";
import {
  traceDetailSchema,
  traceIngestResultSchema,
  traceListSchema,
  traceParamsSchema,
  tracesQuerySchema,
} from "./traces.js";

/**
 * Every endpoint of the supervisor's control API: what it reads (path parameters, query) and answers. The server
 * registers exactly these (a test checks it), the client parses each answer with `response`, and with follow=1 each
 * Server-Sent Event's data with `event`. GET /metrics (Prometheus' text format, scraped with the same token) is
 * outside this JSON contract. Every request carries `authorization: Bearer <token>` (from the state file).
 */
export const controlEndpoints = {
  status: {
    method: "GET",
    path: "/v1/status",
    query: statusQuerySchema,
    response: stackStatusSchema,
    event: stackStatusSchema,
  },
  config: { method: "GET", path: "/v1/config", response: configViewSchema },
  // This stack's name and the other running stacks of this user (the per-user registry), for the dashboard.
  stacks: { method: "GET", path: "/v1/stacks", response: stacksViewSchema },
  logs: { method: "GET", path: "/v1/logs", query: logsQuerySchema, response: logHistorySchema, event: logEntrySchema },
  restart: {
    method: "POST",
    path: "/v1/services/:name/restart",
    params: serviceParamsSchema,
    response: restartResultSchema,
  },
  stop: { method: "POST", path: "/v1/services/:name/stop", params: serviceParamsSchema, response: stopResultSchema },
  start: { method: "POST", path: "/v1/services/:name/start", params: serviceParamsSchema, response: startResultSchema },
  down: { method: "POST", path: "/v1/down", response: downResultSchema },
  // traces=1: the API's OpenTelemetry exporter posts OTLP/HTTP JSON here (its body is OTLP's, not ours); read below.
  ingestTraces: { method: "POST", path: "/v1/traces", response: traceIngestResultSchema },
  traces: { method: "GET", path: "/v1/traces", query: tracesQuerySchema, response: traceListSchema },
  trace: { method: "GET", path: "/v1/traces/:id", params: traceParamsSchema, response: traceDetailSchema },
} as const;

export type ControlEndpoint = keyof typeof controlEndpoints;
