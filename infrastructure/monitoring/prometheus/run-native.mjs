#!/usr/bin/env node
// Runs Prometheus natively for the monitoring profile (stack.yaml service `prometheus`). Prometheus does not read
// variables in its configuration, and natively every port comes from .env, so this writes the configuration from
// the environment stack.yaml gives it, then runs Debian's `prometheus` in the foreground.
//   PROMETHEUS_LISTEN   address to listen on (127.0.0.1:9090)
//   PROMETHEUS_DATA     folder for the configuration, the token file and the time series
//   SCRAPE_<JOB>        host:port of a /metrics endpoint, one job each (SCRAPE_API=127.0.0.1:3001 → job "api")
//   ZERO_CONTROL_URL, ZERO_CONTROL_TOKEN  the supervisor (job "supervisor"); the token goes to a 0600 file that
//                       Prometheus reads (credentials_file), never onto a command line.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const env = process.env;
const data = resolve(env.PROMETHEUS_DATA ?? ".zero/data/prometheus");
mkdirSync(join(data, "tsdb"), { recursive: true, mode: 0o700 });
const interval = env.PROMETHEUS_SCRAPE_INTERVAL || "5s";

const jobs = Object.entries(env)
  .filter(([name, target]) => name.startsWith("SCRAPE_") && target)
  .map(([name, target]) => ({
    job_name: name.slice("SCRAPE_".length).toLowerCase(),
    static_configs: [{ targets: [target] }],
  }));
jobs.push({ job_name: "prometheus", static_configs: [{ targets: [env.PROMETHEUS_LISTEN] }] });
if (env.ZERO_CONTROL_URL && env.ZERO_CONTROL_TOKEN) {
  const tokenFile = join(data, "supervisor-token");
  writeFileSync(tokenFile, env.ZERO_CONTROL_TOKEN, { mode: 0o600 });
  jobs.push({
    job_name: "supervisor",
    authorization: { type: "Bearer", credentials_file: tokenFile },
    static_configs: [{ targets: [new URL(env.ZERO_CONTROL_URL).host] }],
  });
}
// JSON is YAML: no YAML library needed here.
const config = { global: { scrape_interval: interval, evaluation_interval: interval }, scrape_configs: jobs };
const configFile = join(data, "prometheus.yml");
writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

const prometheus = spawn(
  env.PROMETHEUS_BIN || "prometheus",
  [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(data, "tsdb")}`,
    `--storage.tsdb.retention.time=${env.PROMETHEUS_RETENTION || "2d"}`,
    `--web.listen-address=${env.PROMETHEUS_LISTEN}`,
  ],
  { stdio: "inherit" },
);
prometheus.on("error", (error) => {
  console.error(`cannot run prometheus: ${error.message} (install Debian's prometheus package; make doctor says how)`);
  process.exit(127);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => prometheus.kill(signal));
prometheus.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
