import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { launchChromium, screenshotPath } from "../helpers/browser.js";
import { repoRoot, runZero } from "../helpers/cli.js";
import {
  apiTraffic,
  dashboardPath,
  dashboardQueries,
  emptyDashboardQueries,
  instantQuery,
  type Panel,
  MONITORING_PORTS,
  waitForJobsUp,
} from "../helpers/prometheus.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// The monitoring profile on the real stack, natively: Debian's prometheus, prometheus-postgres-exporter and
// prometheus-redis-exporter, the supervisor's /metrics, and every query of the Grafana dashboard evaluated by this
// Prometheus over its HTTP API. Grafana itself cannot run here (not in Debian or npm, no registry): only its
// dashboard's queries are tested, not Grafana rendering them.
const PORTS = ["WEB_PORT", ...MONITORING_PORTS];
describe("the compose Prometheus configuration", () => {
  it("scrapes the same jobs as the native one, except the supervisor (compose has none)", () => {
    const compose = parse(readFileSync(join(repoRoot, "infrastructure/monitoring/prometheus/compose.yml"), "utf8"));
    const jobs = compose.scrape_configs.map((job: { job_name: string }) => job.job_name).sort();
    const stack = parse(readFileSync(join(repoRoot, "stack.yaml"), "utf8"));
    const native = Object.keys(stack.services.prometheus.env)
      .filter((name) => name.startsWith("SCRAPE_"))
      .map((name) => name.slice(7).toLowerCase());
    expect(jobs).toEqual([...native, "prometheus"].sort());
  });

  it("points Grafana's panels at the provisioned data source, and its mounts at files that exist", () => {
    // Grafana cannot run here: these are the mistakes that would leave its dashboard blank, checked statically.
    const grafana = join(repoRoot, "infrastructure/monitoring/grafana");
    const source = parse(readFileSync(join(grafana, "provisioning/datasources/prometheus.yml"), "utf8")).datasources[0];
    expect(source).toMatchObject({ type: "prometheus", url: "http://prometheus:9090" });
    const dashboard = JSON.parse(readFileSync(dashboardPath, "utf8")) as {
      panels: (Panel & { datasource?: { uid: string } })[];
    };
    const elsewhere = dashboard.panels.filter((panel) => panel.type !== "row" && panel.datasource?.uid !== source.uid);
    expect(elsewhere.map((panel) => panel.title)).toEqual([]);
    const service = parse(readFileSync(join(repoRoot, "stack.yaml"), "utf8")).services.grafana.container;
    const mounts = new Map<string, string>(service.mounts.map((mount: string) => mount.split(":") as [string, string]));
    const provider = parse(readFileSync(join(grafana, "provisioning/dashboards/zero.yml"), "utf8")).providers[0];
    expect([...mounts.values()]).toEqual(expect.arrayContaining(["/etc/grafana/provisioning", provider.options.path]));
    const home = service.env.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    const [hostFolder] = [...mounts].find(([, target]) => home.startsWith(`${target}/`))!;
    expect(readFileSync(join(repoRoot, hostFolder, home.slice(provider.options.path.length)), "utf8")).toContain(
      '"uid": "zero-to-running"',
    );
  });

  it("gives every dashboard panel at least one query", () => {
    const dashboard = JSON.parse(readFileSync(dashboardPath, "utf8")) as { panels: Panel[] };
    const empty = dashboard.panels
      .filter((panel) => panel.type !== "row" && !panel.targets?.length)
      .map((panel) => panel.title);
    expect(empty).toEqual([]);
  });
});

describe.sequential("the monitoring profile on the native runtime", () => {
  let env: Record<string, string>;
  const zero = (...args: string[]) =>
    runZero([...args, "--profile", "test", "--with", "monitoring"], { cwd: repoRoot, env });
  const prometheus = () => `http://127.0.0.1:${env.PROMETHEUS_PORT}`;
  const query = (expr: string) => instantQuery(prometheus(), expr);
  const state = () => JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8"));

  beforeAll(async () => {
    env = await isolatedEnv(PORTS);
  });

  afterAll(async () => {
    await zero("down");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("starts Prometheus and both exporters healthy beside the stack", async () => {
    const up = await zero("up");
    expect(up.exitCode, up.all).toBe(0);
    for (const service of ["prometheus", "postgres-exporter", "redis-exporter", "api"])
      expect(up.all).toMatch(new RegExp(`${service}\\s+healthy in \\d+ ms`));
    expect(up.all).toContain(`Prometheus  http://127.0.0.1:${env.PROMETHEUS_PORT}`);
    // Grafana runs only in containers: left out natively, neither counted nor linked as if it ran.
    expect(up.all).toContain("grafana: runs only in containers (native: skip)");
    expect(up.all).toMatch(/All 7 services healthy/);
    expect(up.all).not.toContain("Grafana ");
  }, 180_000);

  it("keeps every password off the command lines (ps)", () => {
    const commandLines = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
    expect(commandLines).toContain("prometheus-postgres-exporter");
    expect(commandLines).toContain("prometheus-redis-exporter");
    for (const password of ["test-only-postgres-password", "test-only-redis-password", state().supervisor.token]) {
      expect(commandLines).not.toContain(password);
    }
  });

  it("serves the supervisor's metrics with its token only, named by the Prometheus conventions", async () => {
    const { controlPort, token } = state().supervisor;
    const url = `http://127.0.0.1:${controlPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/^zero_service_up\{service="api"\} 1$/m);
    expect(text).toMatch(/^zero_service_restarts_total\{service="postgres"\} 0$/m);
    expect(text).toMatch(/^zero_service_state\{service="redis",state="running"\} 1$/m);
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.error?.message, "promtool is in Debian's prometheus package").toBeUndefined();
    expect(`${check.stdout}${check.stderr}`.trim()).toBe("");
  });

  it("scrapes the API, the supervisor and both exporters", async () => {
    await waitForJobsUp(prometheus(), ["api", "supervisor", "postgres", "redis", "prometheus"]);
    expect(await query("pg_up == 1")).toHaveLength(1);
    expect(await query("redis_up == 1")).toHaveLength(1);
  }, 90_000);

  it("answers every query of the Grafana dashboard with data", async () => {
    await apiTraffic(`http://127.0.0.1:${env.API_PORT}`);
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    expect(await emptyDashboardQueries(prometheus(), queries), "dashboard queries that returned nothing").toEqual([]);
  }, 120_000);

  it("links to Prometheus from the web dashboard (the service's URL in the supervisor's status)", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${env.WEB_PORT}/`);
      const link = page.getByRole("link", { name: "Prometheus", exact: true });
      await link.waitFor({ timeout: 30_000 });
      expect(await link.getAttribute("href")).toBe(`http://127.0.0.1:${env.PROMETHEUS_PORT}`);
      await page.screenshot({ path: screenshotPath("monitoring-dashboard-links") });
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("stops everything and frees every port on down", async () => {
    const down = await zero("down");
    expect(down.exitCode, down.all).toBe(0);
    for (const name of PORTS) expect(await isPortFree(Number(env[name])), name).toBe(true);
  }, 60_000);
});
