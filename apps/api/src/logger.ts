import { pino, type LoggerOptions } from "pino";
import type { LogLevel } from "./config.js";

// One JSON line per event with an ISO time and the service name, so the orchestrator can merge and filter logs;
// credentials in headers are redacted should a request ever be logged whole.
export function buildLoggerOptions(level: LogLevel): LoggerOptions {
  const traceIds = currentTraceIds();
  return {
    level,
    // With traces=1 each line of a request carries its trace and span ids (the dashboard links a trace to its lines).
    ...(traceIds && { mixin: () => traceIds() ?? {} }),
    base: { service: "api", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]', "headers.authorization"],
      censor: "[redacted]",
    },
  };
}

type TraceIds = () => { traceId: string; spanId: string } | undefined;

/** Set by tracing/register.mjs, loaded only with traces=1: without it the logger has no mixin at all. */
function currentTraceIds(): TraceIds | undefined {
  return (globalThis as Record<symbol, unknown>)[Symbol.for("zero.traceIds")] as TraceIds | undefined;
}
