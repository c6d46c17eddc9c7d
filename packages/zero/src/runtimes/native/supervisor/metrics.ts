import { SERVICE_STATES } from "@zero/contracts/service-states";
import type { Usage } from "./resource-usage.js";
import type { ServiceRecord } from "./state-file.js";

// Health-check latency buckets in seconds: probes take milliseconds, a slow one its timeout (1 s by default).
const CHECK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface CheckHistogram {
  buckets: number[];
  count: number;
  sum: number;
  failures: number;
}

/**
 * The supervisor's own metrics in the Prometheus text format (GET /metrics on the control API), named after
 * the Prometheus conventions: a `zero_` prefix, base units (seconds, bytes), `_total` only on counters.
 */
export class SupervisorMetrics {
  private readonly checks = new Map<string, CheckHistogram>();
  /** Promises that failed with nobody awaiting them: logged and counted, never the end of the stack. */
  unhandledRejections = 0;

  /** Records one health probe of a running service (the monitor's, every 2 s). */
  observeCheck(service: string, milliseconds: number, healthy: boolean): void {
    const histogram = this.checks.get(service) ?? {
      buckets: CHECK_BUCKETS.map(() => 0),
      count: 0,
      sum: 0,
      failures: 0,
    };
    const seconds = milliseconds / 1000;
    CHECK_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) histogram.buckets[index]! += 1;
    });
    histogram.count += 1;
    histogram.sum += seconds;
    if (!healthy) histogram.failures += 1;
    this.checks.set(service, histogram);
  }

  /** The exposition text for the services' records and their measured usage (by process group). */
  render(services: Record<string, ServiceRecord>, usage: Map<number, Usage>, startedAtSeconds: number): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string, samples: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    const entries = Object.entries(services);
    const label = (service: string, extra = "") => `{service="${escapeLabel(service)}"${extra}}`;
    family(
      "zero_supervisor_start_time_seconds",
      "gauge",
      "When the supervisor started, in seconds since the Unix epoch.",
      [`zero_supervisor_start_time_seconds ${startedAtSeconds}`],
    );
    family(
      "zero_supervisor_unhandled_rejections_total",
      "counter",
      "Failed promises nobody awaited (each logged in supervisor.log); the stack keeps running.",
      [`zero_supervisor_unhandled_rejections_total ${this.unhandledRejections}`],
    );
    family(
      "zero_service_up",
      "gauge",
      "1 when the service runs and its health check passes (or it has none), else 0.",
      entries.map(
        ([name, record]) =>
          `zero_service_up${label(name)} ${record.state === "running" && record.health !== "unhealthy" ? 1 : 0}`,
      ),
    );
    family(
      "zero_service_state",
      "gauge",
      "The service's lifecycle state: 1 for the current one.",
      entries.flatMap(([name, record]) =>
        SERVICE_STATES.map(
          (state) => `zero_service_state${label(name, `,state="${state}"`)} ${record.state === state ? 1 : 0}`,
        ),
      ),
    );
    family(
      "zero_service_healthy",
      "gauge",
      "1 when the latest health check passed, 0 when it failed or has not run.",
      entries.map(([name, record]) => `zero_service_healthy${label(name)} ${record.health === "healthy" ? 1 : 0}`),
    );
    family(
      "zero_service_crash_looping",
      "gauge",
      "1 while the service crashes again and again without a stable run.",
      entries.map(([name, record]) => `zero_service_crash_looping${label(name)} ${record.crashLooping ? 1 : 0}`),
    );
    family(
      "zero_service_restarts_total",
      "counter",
      "Restarts by the supervisor (crashes, failed liveness checks, requests).",
      entries.map(([name, record]) => `zero_service_restarts_total${label(name)} ${record.restarts}`),
    );
    const checked = entries.filter(([name]) => this.checks.has(name));
    family(
      "zero_service_health_check_duration_seconds",
      "histogram",
      "How long the service's health checks took.",
      checked.flatMap(([name]) => {
        const histogram = this.checks.get(name)!;
        return [
          ...CHECK_BUCKETS.map(
            (bound, index) =>
              `zero_service_health_check_duration_seconds_bucket${label(name, `,le="${bound}"`)} ${histogram.buckets[index]}`,
          ),
          `zero_service_health_check_duration_seconds_bucket${label(name, ',le="+Inf"')} ${histogram.count}`,
          `zero_service_health_check_duration_seconds_sum${label(name)} ${histogram.sum}`,
          `zero_service_health_check_duration_seconds_count${label(name)} ${histogram.count}`,
        ];
      }),
    );
    family(
      "zero_service_health_check_failures_total",
      "counter",
      "Health checks that failed.",
      checked.map(
        ([name]) => `zero_service_health_check_failures_total${label(name)} ${this.checks.get(name)!.failures}`,
      ),
    );
    const measured = entries.filter(([, record]) => usage.has(record.pgid));
    family(
      "zero_service_memory_bytes",
      "gauge",
      "Resident memory of the service's process group.",
      measured.map(
        ([name, record]) => `zero_service_memory_bytes${label(name)} ${usage.get(record.pgid)!.memoryBytes}`,
      ),
    );
    family(
      "zero_service_cpu_ratio",
      "gauge",
      "CPU use of the service's process group, in cores (1 = one core busy).",
      measured.map(
        ([name, record]) => `zero_service_cpu_ratio${label(name)} ${round(usage.get(record.pgid)!.cpu / 100)}`,
      ),
    );
    return `${out.join("\n")}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
