// make backup-db / restore-db runtime=kubernetes: pg_dump / pg_restore in the postgres pod over the exec API.
// The API server is a PROTOCOL FAKE (test/helpers/fake-kube-api.ts), not a cluster: no API server can be
// installed here. client-node's Exec talks the real channel protocol (v5.channel.k8s.io) to it over a
// WebSocket, and the fake runs each exec'd command in a REAL PostgreSQL container (docker exec -i) that stands
// in for the pod: same image as compose (POSTGRES_IMAGE), same env and /run/secrets file as the StatefulSet.
// Its published port stands in for the port-forward (POSTGRES_PORT), which zero uses to read the migrations.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/project.js";
import { databaseTarget } from "../../src/database/target.js";
import { DockerCli } from "../../src/docker/docker-cli.js";
import { deploy } from "../../src/runtimes/kubernetes/deploy.js";
import { KubernetesRuntime } from "../../src/runtimes/kubernetes/kubernetes-runtime.js";
import { repoRoot, runZero } from "../helpers/cli.js";
import { dockerAnswers } from "../helpers/docker.js";
import { FakeKubeApi } from "../helpers/fake-kube-api.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const PASSWORD = "test-only-postgres-password"; // the test profile's fixed password (stack.yaml)
const IMAGE = process.env.POSTGRES_IMAGE ?? "zero-standin/postgres:15";
// Runs where Docker answers and has the PostgreSQL image (CI builds the stand-ins first, and fails if not).
const imagePresent =
  dockerAnswers && execa("docker", ["image", "inspect", IMAGE], { reject: false }).then((r) => r.exitCode === 0);

describe.runIf((await imagePresent) || process.env.CI).sequential("backup and restore on kubernetes (exec API)", () => {
  const api = new FakeKubeApi();
  let env: Record<string, string>;
  let container = "";
  let secrets = "";
  const execs: string[] = [];
  let previousKubeconfig: string | undefined;
  const query = async (sql: string) => {
    const client = new pg.Client({
      host: "127.0.0.1",
      port: Number(env.POSTGRES_PORT),
      user: "app",
      database: "app",
      password: PASSWORD,
    });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const zero = (...args: string[]) =>
    runZero([...args, "--runtime", "kubernetes", "--profile", "test"], { cwd: repoRoot, env });
  const project = () => loadProject({ cwd: repoRoot, profile: "test", runtime: "kubernetes", env });

  beforeAll(async () => {
    const url = await api.start();
    env = { ...(await isolatedEnv(["POSTGRES_PORT"])), KUBECONFIG: api.kubeconfig(url), ZERO_K8S_BUILD: "0" };
    previousKubeconfig = process.env.KUBECONFIG;
    process.env.KUBECONFIG = env.KUBECONFIG; // the in-process calls read the kube config as kubectl does
    // The pod's secret volume: the same file name and mount point as the StatefulSet's.
    secrets = mkdtempSync(join(tmpdir(), "zero-k8s-pod-secrets-"));
    chmodSync(secrets, 0o755);
    writeFileSync(join(secrets, "postgres_password"), PASSWORD, { mode: 0o644 });
    const run = await execa("docker", [
      "run",
      "-d",
      "--rm",
      "-e",
      "POSTGRES_USER=app",
      "-e",
      "POSTGRES_DB=app",
      "-e",
      "POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password",
      "-v",
      `${secrets}:/run/secrets:ro`,
      "-p",
      `127.0.0.1:${env.POSTGRES_PORT}:5432`,
      IMAGE,
    ]);
    container = run.stdout.trim();
    api.execIn = (pod, name, command) => {
      execs.push(`${pod}/${name}: ${command.slice(0, 2).join(" ")}`);
      return spawn("docker", ["exec", "-i", container, ...command]);
    };
    const deadline = Date.now() + 60_000;
    while (
      (await execa("docker", ["exec", container, "pg_isready", "-q", "-h", "127.0.0.1"], { reject: false }))
        .exitCode !== 0
    ) {
      if (Date.now() > deadline) throw new Error("PostgreSQL did not start in its container within 60 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    // The objects exist in the (fake) cluster and postgres-0 is Ready, as after make deploy.
    await deploy(project(), () => {}, new DockerCli(), {
      forward: false,
      deadlineMs: 20_000,
      pollMs: 50,
      pendingGraceMs: 0,
    });
    await query("create table parity (note text); insert into parity values ('in the backup')");
  }, 120_000);

  afterAll(async () => {
    process.env.KUBECONFIG = previousKubeconfig;
    if (previousKubeconfig === undefined) delete process.env.KUBECONFIG;
    if (container) await execa("docker", ["rm", "-f", container], { reject: false });
    await api.stop();
    rmSync(secrets, { recursive: true, force: true });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  let backup: string;
  it("backs up through the runtime capability: pg_dump in pod postgres-0, a private archive naming the kubernetes runtime", async () => {
    const result = await zero("db", "backup");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('pg_dump of "app" through pod postgres-0');
    expect(result.all).toMatch(/Backup written to .*\.tar\.gz \(.*, kubernetes runtime, PostgreSQL \d+,/);
    backup = /Backup written to (\S+\.tar\.gz)/.exec(result.all)![1]!;
    backup = backup.startsWith("/") ? backup : join(repoRoot, backup);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(readFileSync(backup.replace(/\.tar\.gz$/, ".json"), "utf8"));
    expect(manifest).toMatchObject({
      runtime: "kubernetes",
      contents: "pg_dump",
      service: "postgres",
      database: "app",
    });
    expect(execs).toContain("postgres-0/postgres: sh -c");
    expect(
      api.requests.some((r) => r.startsWith("UPGRADE /api/v1/namespaces/zero-to-running-test/pods/postgres-0/exec?")),
    ).toBe(true);
    // The password travels in no exec'd command line (the scripts read the mounted file).
    expect(api.requests.join("\n")).not.toContain(PASSWORD);
  });

  it("restores it: pg_restore over exec's stdin into a scratch database, swapped in; rows written since are gone", async () => {
    await query("insert into parity values ('after the backup'); create table later (id int)");
    const result = await zero("db", "restore", backup, "--yes");
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("pg_restore into a scratch database (app__restore)");
    expect(await query("select note from parity")).toEqual([{ note: "in the backup" }]);
    expect(await query("select to_regclass('public.later') as t")).toEqual([{ t: null }]);
  });

  it("a broken dump fails with pg_restore's own words and leaves the database as it was", async () => {
    const broken = join(mkdtempSync(join(tmpdir(), "zero-k8s-broken-")), "broken");
    mkdirSync(broken);
    execFileSync("tar", ["-xzf", backup, "-C", broken]);
    writeFileSync(join(broken, "postgres.dump"), "PGDMP not really a dump");
    const archive = `${broken}.tar.gz`;
    execFileSync("tar", ["-czf", archive, "-C", broken, "."]);
    const result = await zero("db", "restore", archive, "--yes");
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain('ZERO_RESTORE_FAILED: pg_restore failed; "app" is unchanged.');
    expect(result.all).toMatch(/pg_restore: error/);
    expect(await query("select note from parity")).toEqual([{ note: "in the backup" }]);
  });

  it("an API server that cannot close exec's stdin (before Kubernetes 1.30) is refused before anything changes", async () => {
    api.execProtocol = "v4.channel.k8s.io";
    try {
      const runtime = new KubernetesRuntime(new DockerCli());
      const error = await runtime.capabilities.restore!(project(), databaseTarget(project()), backup, () => {}).catch(
        (e) => e,
      );
      expect(error).toMatchObject({
        code: "ZERO_RESTORE_FAILED",
        message: 'The API server offered the exec protocol "v4.channel.k8s.io", which cannot close a command\'s input.',
      });
      // A backup needs no input: it still works there.
      const made = await runtime.capabilities.backup!.create(project(), databaseTarget(project()), () => {});
      expect(made.manifest.runtime).toBe("kubernetes");
    } finally {
      api.execProtocol = "v5.channel.k8s.io";
    }
    expect(await query("select note from parity")).toEqual([{ note: "in the backup" }]);
  });

  it("without a Ready postgres pod, says to deploy", async () => {
    api.script = () => ({ ready: 0 });
    const result = await zero("db", "backup");
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain("ZERO_BACKUP_FAILED: postgres has no Ready pod in namespace zero-to-running-test.");
    expect(result.all).toMatch(/Next: Deploy the stack with `make deploy`/);
  });
});
