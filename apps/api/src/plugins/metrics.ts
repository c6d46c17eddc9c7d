import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { checkReadiness, type Probe } from "../health/readiness.js";

export interface MetricsOptions {
  pool: pg.Pool;
  probes: { database: Probe; cache: Probe | undefined };
  checkTimeoutMs: number;
  mask: (text: string) => string;
}

// Prometheus metrics at GET /metrics: requests by route, method and status (count and latency), the database pool,
// and whether each dependency answers right now. A registry per app so several apps (tests) never share counters.
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({ name: "http_requests_total", help: "HTTP requests answered", labelNames, registers: [registry] });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const { pool } = options;
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  poolGauge("db_pool_connections_open", "Connections open in the PostgreSQL pool", () => pool.totalCount);
  poolGauge("db_pool_connections_idle", "Idle connections in the PostgreSQL pool", () => pool.idleCount);
  poolGauge("db_pool_requests_waiting", "Queries waiting for a pool connection", () => pool.waitingCount);
  new Gauge({
    name: "dependency_up",
    help: "1 when the dependency answered its readiness check at scrape time, 0 when not; absent when disabled",
    labelNames: ["dependency"],
    registers: [registry],
    async collect() {
      const result = await checkReadiness(options.probes, options.checkTimeoutMs, options.mask);
      this.reset();
      for (const dependency of ["database", "cache"] as const) {
        if (result[dependency] !== "disabled") this.set({ dependency }, result[dependency] === "ok" ? 1 : 0);
      }
    },
  });

  app.addHook("onResponse", async (request, reply) => {
    // The route pattern (/users/:id), never the raw URL, so label cardinality stays bounded.
    const labels = { method: request.method, route: request.routeOptions.url ?? "unmatched", status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get(
    "/metrics",
    { schema: { summary: "Prometheus metrics (text exposition format)", tags: ["health"], produces: ["text/plain"] } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
