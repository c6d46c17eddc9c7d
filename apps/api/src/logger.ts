import { pino, type LoggerOptions } from "pino";
import type { LogLevel } from "./config.js";

// One JSON line per event with an ISO time and the service name, so the orchestrator can merge and filter logs;
// credentials in headers are redacted should a request ever be logged whole.
export function buildLoggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service: "api", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]', "headers.authorization"],
      censor: "[redacted]",
    },
  };
}
