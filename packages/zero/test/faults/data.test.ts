import pg from "pg";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { faultStack } from "./fault-stack.js";

// Faults: real PostgreSQL and Redis killed -9 (under writes, repeatedly), and a stop/start; data counted afterwards.

describe.sequential("faults: data survives crashes of PostgreSQL and Redis", () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  const pgUrl = () => `postgres://faults:faults-pg-pw@127.0.0.1:${stack.env.POSTGRES_PORT}/faults`; // secretlint-disable-line -- a throwaway test stack's password
  const redis = () =>
    new Redis({
      port: Number(stack.env.REDIS_PORT),
      host: "127.0.0.1",
      password: "faults-redis-pw",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });

  beforeAll(async () => {
    stack = await faultStack("db");
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  }, 180_000);
  afterAll(() => stack.cleanUp());

  it("guarantee: PostgreSQL killed -9 under acknowledged writes loses no acknowledged row, and is restarted", {
    timeout: 90_000,
  }, async () => {
    const client = new pg.Client({ connectionString: pgUrl() });
    await client.connect();
    client.on("error", () => {}); // the kill ends the connection
    await client.query("create table writes (id int primary key)");
    const { pid } = stack.state().services.postgres!;
    let acknowledged = 0;
    const writer = (async () => {
      for (let id = 1; ; id++) {
        try {
          await client.query("insert into writes values ($1)", [id]);
          acknowledged = id;
        } catch {
          return;
        }
      }
    })();
    await waitFor(() => acknowledged >= 300, 30_000, "300 acknowledged inserts");
    process.kill(pid, "SIGKILL");
    await writer;
    await stack.healthyAgain("postgres", pid, 60_000);
    const after = new pg.Client({ connectionString: pgUrl() });
    await after.connect();
    const { rows } = await after.query("select count(*)::int as n, max(id) as top from writes");
    await after.end();
    const lost = acknowledged - rows[0].n;
    console.log(
      `postgres kill -9: ${acknowledged} inserts acknowledged, ${rows[0].n} rows after recovery, ${Math.max(0, lost)} lost`,
    );
    expect(lost).toBeLessThanOrEqual(0);
  });

  it("guarantee: Redis data written more than 1 s before a kill -9 survives (AOF, fsync every second); a stop/start keeps all of it", {
    timeout: 60_000,
  }, async () => {
    const client = redis();
    await client.connect();
    for (let i = 0; i < 500; i++) await client.set(`key:${i}`, String(i));
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the AOF is fsynced every second
    const { pid } = stack.state().services.redis!;
    client.disconnect();
    process.kill(pid, "SIGKILL");
    await stack.healthyAgain("redis", pid, 30_000);
    const again = redis();
    await again.connect();
    expect(await again.dbsize()).toBe(500);
    await again.set("written-before-down", "yes");
    again.disconnect();
    expect((await stack.zero("down")).exitCode).toBe(0);
    expect((await stack.zero("up")).exitCode).toBe(0);
    const third = redis();
    await third.connect();
    expect(await third.get("written-before-down")).toBe("yes");
    expect(await third.dbsize()).toBe(501);
    third.disconnect();
  });

  it("guarantee: a dependency that flaps (Redis killed -9 three times) is restarted each time, and the others are untouched", {
    timeout: 90_000,
  }, async () => {
    const postgresPid = stack.state().services.postgres!.pid;
    const restartsBefore = stack.state().services.redis!.restarts;
    for (let flap = 0; flap < 3; flap++) {
      const { pid } = stack.state().services.redis!;
      process.kill(pid, "SIGKILL");
      await stack.healthyAgain("redis", pid, 30_000);
    }
    expect(stack.state().services.redis!.restarts).toBe(restartsBefore + 3);
    expect(stack.state().services.postgres!.pid).toBe(postgresPid);
    const status = await stack.zero("status");
    expect(status.exitCode, status.stdout).toBe(0);
  });
});
