import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, waitFor } from "./cli.js";

/** The ports of a stack with the monitoring add-on, besides the web dashboard's. */
export const MONITORING_PORTS = [
  "API_PORT",
  "API_DEBUG_PORT",
  "POSTGRES_PORT",
  "REDIS_PORT",
  "PROMETHEUS_PORT",
  "POSTGRES_EXPORTER_PORT",
  "REDIS_EXPORTER_PORT",
];

export const dashboardPath = join(repoRoot, "infrastructure/monitoring/grafana/dashboards/zero-to-running.json");

export interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

/** Every query of every panel of the provisioned Grafana dashboard. */
export function dashboardQueries(): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(dashboardPath, "utf8")) as { panels: Panel[] };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map(({ expr }) => ({ panel: panel.title, expr })));
}

/** An instant query through Prometheus' HTTP API (/api/v1/query): the result vector, or the query's error. */
export async function instantQuery(baseUrl: string, expr: string): Promise<{ metric: Record<string, string> }[]> {
  const response = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string> }[] };
  };
  if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
  return body.data!.result;
}

/** Waits until every job scrapes as up (== 1). */
export function waitForJobsUp(baseUrl: string, jobs: string[], timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const result = await instantQuery(baseUrl, "up == 1");
      return jobs.every((job) => result.some((sample) => sample.metric.job === job));
    },
    timeoutMs,
    `every job up (${jobs.join(", ")})`,
  );
}

/**
 * The dashboard queries that return nothing, polled until none does or the deadline passes (rates need two scrapes,
 * 5 s apart, after the traffic that feeds them).
 */
export async function emptyDashboardQueries(
  baseUrl: string,
  queries: { panel: string; expr: string }[],
  timeoutMs = 90_000,
): Promise<string[]> {
  let empty: string[] = [];
  await waitFor(
    async () => {
      const results = await Promise.all(
        queries.map(async ({ panel, expr }) =>
          (await instantQuery(baseUrl, expr)).length > 0 ? undefined : `${panel}: ${expr}`,
        ),
      );
      empty = results.filter((line): line is string => Boolean(line));
      return empty.length === 0;
    },
    timeoutMs,
    "every dashboard query to return data",
  ).catch(() => undefined);
  return empty;
}

/** Requests that feed the request, error and cache panels: pages, a 404, the readiness check (database and cache). */
export async function apiTraffic(apiUrl: string) {
  for (let i = 0; i < 5; i++) {
    await fetch(`${apiUrl}/api/v1/artists`);
    await fetch(`${apiUrl}/api/v1/no-such-route`);
    await fetch(`${apiUrl}/health/ready`);
  }
}
