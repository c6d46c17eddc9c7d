import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runZero } from "../helpers/cli.js";
import {
  apiTraffic,
  dashboardQueries,
  emptyDashboardQueries,
  instantQuery,
  MONITORING_PORTS,
  waitForJobsUp,
} from "../helpers/prometheus.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { dockerAnswers } from "../helpers/docker.js";

// The monitoring profile in containers, on a real Docker engine: Prometheus with the static compose configuration,
// the exporters reading their passwords from mounted secrets, the API scraped as api:3001. No registry is reachable
// here, so the images are the stand-ins of infrastructure/docker/standins (Debian's packages laid out like the
// official images; the README there lists what differs), built by build.sh unless the environment names images.
// Grafana is left out: it has no stand-in (not in Debian or npm).
const PORTS = MONITORING_PORTS;
const IMAGES = [
  "POSTGRES_IMAGE",
  "REDIS_IMAGE",
  "NODE_IMAGE",
  "PROMETHEUS_IMAGE",
  "POSTGRES_EXPORTER_IMAGE",
  "REDIS_EXPORTER_IMAGE",
];
const SERVICES = ["api", "prometheus", "postgres-exporter", "redis-exporter"];
const PROJECT = "zero-e2e-monitoring";

/** Images from the environment (CI exports the stand-ins), or the stand-ins built now (cached by Docker). */
async function images(): Promise<Record<string, string>> {
  if (IMAGES.every((name) => process.env[name]))
    return Object.fromEntries(IMAGES.map((name) => [name, process.env[name]!]));
  const { stdout } = await execa("bash", [join(repoRoot, "infrastructure/docker/standins/build.sh")]);
  return Object.fromEntries(
    [...stdout.matchAll(/(\w+_IMAGE)=(\S+)/g)]
      .filter(([, name]) => IMAGES.includes(name!))
      .map(([, name, image]) => [name!, image!]),
  );
}

describe.runIf(dockerAnswers || process.env.CI).sequential("the monitoring profile in compose", () => {
  let env: Record<string, string>;
  const zero = (...args: string[]) =>
    runZero([...args, "--runtime", "compose", "--profile", "test", "--with", "monitoring"], { cwd: repoRoot, env });
  const prometheus = () => `http://127.0.0.1:${env.PROMETHEUS_PORT}`;

  beforeAll(async () => {
    env = await isolatedEnv(PORTS, { COMPOSE_PROJECT_NAME: PROJECT, ...(await images()) });
  }, 600_000);

  afterAll(async () => {
    await zero("down", "--volumes");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  }, 120_000);

  it("starts Prometheus and both exporters healthy in containers", async () => {
    const up = await zero("up", ...SERVICES);
    expect(up.exitCode, up.all).toBe(0);
    for (const service of SERVICES) expect(up.all).toMatch(new RegExp(`${service}\\s+healthy in \\d+ ms`));
    const file = readFileSync(join(env.ZERO_HOME!, "compose", "docker-compose.yml"), "utf8");
    expect(file).toContain(`image: ${env.PROMETHEUS_IMAGE}`);
    expect(file).toContain("DATA_SOURCE_PASS_FILE: /run/secrets/postgres_password");
    expect(file).not.toContain("test-only-postgres-password");
    expect(file).not.toContain("test-only-redis-password");
  }, 600_000);

  it("scrapes the API (as api:3001) and both exporters, which reached their databases with the mounted passwords", async () => {
    const base = prometheus();
    await waitForJobsUp(base, ["api", "postgres", "redis", "prometheus"]);
    expect(await instantQuery(base, "pg_up == 1")).toHaveLength(1);
    expect(await instantQuery(base, "redis_up == 1")).toHaveLength(1);
  }, 90_000);

  it("answers every dashboard query except the supervisor's (compose has no supervisor)", async () => {
    await apiTraffic(`http://127.0.0.1:${env.API_PORT}`);
    const queries = dashboardQueries().filter(({ expr }) => !expr.includes("zero_"));
    expect(queries.length).toBeGreaterThan(15);
    expect(await emptyDashboardQueries(prometheus(), queries), "dashboard queries that returned nothing").toEqual([]);
  }, 120_000);
});
