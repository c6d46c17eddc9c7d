import type { IncomingMessage } from "node:http";
import type { LogEntry, TraceDetail, TraceList } from "@zero/contracts/control";
import { readTraceParams, readTracesQuery } from "@zero/contracts/control-requests";
import { BadRequest, type ControlApi, valid } from "./control-api.js";
import type { LogHub } from "./log-hub.js";
import { TraceStore } from "./trace-store.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_TRACE_LOG_LINES = 200;
const JSON_ONLY =
  "POST /v1/traces reads OTLP/HTTP JSON only (content-type: application/json), not protobuf or gRPC: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (or OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json) where the exporter runs";

/**
 * Traces (traces=1): the API's OpenTelemetry exporter posts OTLP/HTTP JSON to POST /v1/traces with the read token the
 * API already holds (the worst such a token can do here is fill a bounded buffer); clients list and read them.
 * A trace is served with the log lines that carry its id (the API's pino lines, traceId field).
 */
export function addTraceRoutes(api: ControlApi, logs: LogHub, mask: (text: string) => string) {
  const store = new TraceStore(mask);
  api
    .route(
      "POST",
      "/v1/traces",
      async (request) => {
        // Many OpenTelemetry SDKs default to protobuf (http/protobuf): the answer names the setting that switches them.
        if (!String(request.headers["content-type"]).startsWith("application/json"))
          throw Object.assign(new Error(JSON_ONLY), { status: 415 });
        const { rejectedSpans } = store.ingest(await readJson(request));
        return rejectedSpans > 0
          ? { partialSuccess: { rejectedSpans, errorMessage: "unreadable spans, or a trace over its span limit" } }
          : {};
      },
      "read",
    )
    .route("GET", "/v1/traces", async (_request, _response, _params, query): Promise<TraceList> => {
      const { order, limit } = valid(readTracesQuery(query));
      return store.list(order, limit);
    })
    .route("GET", "/v1/traces/:id", async (_request, _response, params): Promise<TraceDetail> => {
      const { id } = valid(readTraceParams(params));
      const trace = store.get(id);
      if (!trace)
        throw Object.assign(
          new Error(
            `no trace ${id}: it was never received, or newer traces pushed it out (GET /v1/traces lists those kept)`,
          ),
          {
            status: 404,
          },
        );
      return { ...trace, logs: linesOf(logs, id) };
    });
}

function linesOf(logs: LogHub, traceId: string): LogEntry[] {
  return logs
    .history({})
    .filter((entry) => entry.line.includes(traceId))
    .slice(-MAX_TRACE_LOG_LINES);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw Object.assign(new Error(`an export over ${MAX_BODY_BYTES} bytes`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadRequest("the body is not JSON");
  }
}
