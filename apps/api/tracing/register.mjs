// OpenTelemetry for the API, loaded with `node --import` only when traces=1 (scripts/dev.mjs adds it then; the API's
// own code never imports it, so traces off costs nothing: docs/decisions/0022-traces-opt-in-otlp-to-the-control-api.md).
// Spans of HTTP (server and client), Fastify's routes and hooks, pg and ioredis go as OTLP/HTTP JSON to zero's
// control API (ZERO_CONTROL_URL + /v1/traces, with the API's control token; under compose its Unix socket, see
// socket-exporter.mjs) or, when set, to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT (a collector,
// e.g. on Kubernetes).
import { register } from "node:module";
import { createAddHookMessageChannel } from "import-in-the-middle";

// The API is an ES module bundle: its imports of fastify, pg and ioredis are seen through import-in-the-middle's
// loader, limited to the modules the instrumentations below ask for.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register("import-in-the-middle/hook.mjs", import.meta.url, registerOptions);

const { trace } = await import("@opentelemetry/api");
const { NodeTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-node");
const { resourceFromAttributes } = await import("@opentelemetry/resources");
const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
const { registerInstrumentations } = await import("@opentelemetry/instrumentation");
const { HttpInstrumentation } = await import("@opentelemetry/instrumentation-http");
const { PgInstrumentation } = await import("@opentelemetry/instrumentation-pg");
const { IORedisInstrumentation } = await import("@opentelemetry/instrumentation-ioredis");
const { FastifyOtelInstrumentation } = await import("@fastify/otel");
const { SocketTraceExporter } = await import("./socket-exporter.mjs");

const env = process.env;
const controlUrl = env.ZERO_CONTROL_URL?.startsWith("http") ? env.ZERO_CONTROL_URL : undefined;
// Under compose: unix:/run/zero/control.sock and the token in ZERO_CONTROL_TOKEN_FILE.
const controlSocket =
  env.ZERO_CONTROL_URL?.startsWith("unix:") && env.ZERO_CONTROL_TOKEN_FILE
    ? new URL(env.ZERO_CONTROL_URL).pathname
    : undefined;
const ownEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
if (!ownEndpoint && !controlUrl && !controlSocket)
  console.error(
    "[tracing] traces=1 but no OTLP endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT (docs/observability.md#traces)",
  );
// The exporter reads OTEL_EXPORTER_OTLP_* itself; otherwise the control API with the token the API already has.
const exporter =
  !ownEndpoint && !controlUrl && controlSocket
    ? new SocketTraceExporter(controlSocket, env.ZERO_CONTROL_TOKEN_FILE)
    : new OTLPTraceExporter(
        ownEndpoint || !controlUrl
          ? {}
          : {
              url: new URL("/v1/traces", controlUrl).href,
              headers: { authorization: `Bearer ${env.ZERO_CONTROL_TOKEN ?? ""}` },
            },
      );

// Health checks (every 2 s from the supervisor) and metric scrapes would bury the requests a developer looks for.
const QUIET_PATHS = /^\/(health|metrics)(\/|$|\?)/;
const controlHost = controlUrl && new URL(controlUrl).host;

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "api" }),
  spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
});
provider.register();

registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => QUIET_PATHS.test(request.url ?? ""),
      // The API's own calls to the control API (status, log relay) are zero's plumbing, not the app's work.
      ignoreOutgoingRequestHook: (options) =>
        (Boolean(controlSocket) && options.socketPath === controlSocket) ||
        (Boolean(controlHost) && `${options.hostname ?? options.host}:${options.port}` === controlHost),
    }),
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      ignorePaths: (route) => QUIET_PATHS.test(route.url),
    }),
    new PgInstrumentation({ requireParentSpan: true }), // not the migrations at start: only queries of a request
    new IORedisInstrumentation(),
  ],
});

// The API's logger asks this for the current request's ids (apps/api/src/logger.ts), without importing OpenTelemetry.
globalThis[Symbol.for("zero.traceIds")] = () => {
  const context = trace.getActiveSpan()?.spanContext();
  return context ? { traceId: context.traceId, spanId: context.spanId } : undefined;
};

// Spans are sent every 500 ms; the last half second of a stopping API may be lost (its shutdown is the app's own).
await waitForAllMessagesAcknowledged();
