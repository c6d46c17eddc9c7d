import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresProbe, redisProbe } from "../../src/health/probes.js";
import { describeFailure } from "../../src/health/wait.js";
import { freePort, waitFor } from "../helpers/cli.js";
import { launchPostgres } from "../helpers/prepared-postgres.js";

// The health checks of PostgreSQL (pg) and Redis (its protocol spoken by src/health/redis-check.ts): here against the
// real servers, with each way a login is accepted or refused.
const scratch = mkdtempSync(join(tmpdir(), "zero-data-checks-"));
chmodSync(scratch, 0o755);
process.env.ZERO_SYSTEM_DATA = join(scratch, "system"); // as root the data would go to the system folder
const servers: ResultPromise[] = [];
afterAll(async () => {
  for (const server of servers) server.kill("SIGINT");
  await Promise.allSettled(servers);
  rmSync(scratch, { recursive: true, force: true });
});

const password = ["test", "only", "postgres", "password"].join("-");
const url = (user: string, secret: string, port: number, db = "app") =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${db}`;
const check = (probe: (signal: AbortSignal) => Promise<void>) =>
  probe(AbortSignal.timeout(10_000)).then(
    () => "healthy",
    (error: unknown) => describeFailure(error),
  );

describe("the PostgreSQL check against a real server", () => {
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    const { launch, server } = await launchPostgres(port, password, scratch);
    servers.push(server);
    await waitFor(
      () =>
        postgresProbe(url("app", password, port))(AbortSignal.timeout(2000)).then(
          () => true,
          () => false,
        ),
      20_000,
      "PostgreSQL",
    );
    // Two more roles, logging in with md5 and with a clear-text password (older servers, other images).
    const dataDir = launch.args[launch.args.indexOf("-D") + 1]!;
    const hba = join(dataDir, "pg_hba.conf");
    writeFileSync(
      hba,
      `host all md5_role 127.0.0.1/32 md5\nhost all plain_role 127.0.0.1/32 password\n${readFileSync(hba, "utf8")}`,
    );
    const admin = new pg.Client({ host: "127.0.0.1", port, user: "app", password, database: "app" });
    await admin.connect();
    try {
      await admin.query("set password_encryption = 'md5'");
      await admin.query("create role md5_role login password 'md5-secret'");
      await admin.query("create role plain_role login password 'plain-secret'");
      await admin.query("select pg_reload_conf()");
    } finally {
      await admin.end();
    }
  }, 60_000);

  it("passes with the role's password (SCRAM-SHA-256), md5 and clear text", async () => {
    expect(await check(postgresProbe(url("app", password, port)))).toBe("healthy");
    await waitFor(
      async () => (await check(postgresProbe(url("md5_role", "md5-secret", port)))) === "healthy",
      10_000,
      "pg_hba.conf reloaded",
    );
    expect(await check(postgresProbe(url("plain_role", "plain-secret", port)))).toBe("healthy");
  });

  it("names a wrong password, an unknown database and a closed port as PostgreSQL does", async () => {
    expect(await check(postgresProbe(url("app", "wrong", port)))).toBe(
      'password authentication failed for user "app" (misconfigured)',
    );
    expect(await check(postgresProbe(url("md5_role", "wrong", port)))).toBe(
      'password authentication failed for user "md5_role" (misconfigured)',
    );
    expect(await check(postgresProbe(url("app", password, port, "nope")))).toBe(
      'database "nope" does not exist (misconfigured)',
    );
    expect(await check(postgresProbe(url("app", password, await freePort())))).toBe(
      "connection refused (service down)",
    );
  });
});

describe("the Redis check against a real server", () => {
  const redis = async (...args: string[]) => {
    const port = await freePort();
    const server = execa(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...args],
      { reject: false },
    );
    servers.push(server);
    await waitFor(
      () =>
        redisProbe(`redis://127.0.0.1:${port}`)(AbortSignal.timeout(2000)).then(
          () => true,
          (error: Error) => /NOAUTH/.test(error.message),
        ),
      10_000,
      "Redis",
    );
    return port;
  };

  it("passes with the password, names a wrong or missing one", async () => {
    const port = await redis("--requirepass", "redis-secret");
    expect(await check(redisProbe(`redis://:redis-secret@127.0.0.1:${port}`))).toBe("healthy");
    expect(await check(redisProbe(`redis://:wrong@127.0.0.1:${port}`))).toMatch(/^WRONGPASS .* \(misconfigured\)$/);
    expect(await check(redisProbe(`redis://127.0.0.1:${port}`))).toMatch(/^NOAUTH .* \(misconfigured\)$/);
  });

  it("passes a server without a password, with or without one in the URL; a user of its own with AUTH user password", async () => {
    const open = await redis();
    expect(await check(redisProbe(`redis://127.0.0.1:${open}`))).toBe("healthy");
    expect(await check(redisProbe(`redis://:unneeded@127.0.0.1:${open}`))).toBe("healthy");
    const withUser = await redis("--user", "probe", "on", ">user-secret", "+ping", "--user", "default", "off");
    expect(await check(redisProbe(`redis://probe:user-secret@127.0.0.1:${withUser}`))).toBe("healthy");
    expect(await check(redisProbe(`redis://probe:wrong@127.0.0.1:${withUser}`))).toMatch(/^WRONGPASS/);
  });
});
