import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { childrenOf, faultStack } from "./fault-stack.js";

// Faults: a service killed -9 (leader, or the worker under a launcher), an app alive but failing its health check,
// a crash loop. Real processes under a real supervisor (test/fixtures/faults, profiles app and launcher).

describe.sequential("faults: dead and unhealthy services are restarted", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  const crashFile = () => join(stack.home, "crash-now");

  beforeAll(async () => {
    stack = await faultStack("app");
    stack.env.CRASH_FILE = join(stack.home, "crash-now");
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: a service whose leader is killed -9 is restarted and healthy again", async () => {
    const { pid } = stack.state().services.app!;
    process.kill(pid, "SIGKILL");
    const record = await stack.healthyAgain("app", pid);
    expect(record.restarts).toBeGreaterThanOrEqual(1);
    expect(record.lastExit).toBe("killed by SIGKILL");
  });

  it("guarantee: a service that fails restart_after health checks in a row is restarted (liveness)", async () => {
    const { pid } = stack.state().services.app!;
    await fetch(`http://127.0.0.1:${stack.env.APP_PORT}/toggle-ready`); // alive, but answers 503 from now on
    const record = await stack.healthyAgain("app", pid, 20_000);
    expect(record.lastExit).toMatch(/^2 failed health checks in a row \(HTTP 503/);
    const logs = await stack.zero("logs", "app", "--no-follow");
    expect(logs.stdout).toContain("is unhealthy: 2 failed health checks in a row");
  });

  it("guarantee: a crash loop is called one in make status, with the last exit, the next retry and what to run", async () => {
    writeFileSync(crashFile(), "");
    process.kill(stack.state().services.app!.pid, "SIGKILL");
    // Capped exponential backoff: the delays the supervisor announces grow, and never exceed 30 s.
    const announced = () => {
      const supervisorLog = readFileSync(join(stack.home, "logs", "supervisor.log"), "utf8");
      return [
        ...supervisorLog.matchAll(/"type":"restarting","service":"app","reason":"exit code 3","delayMs":(\d+)/g),
      ].map((m) => Number(m[1]));
    };
    const delays = (await waitFor(
      () => (announced().length >= 2 ? announced() : undefined),
      30_000,
      "two restarts after exit code 3",
    ))!;
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
    expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
    const status = await stack.zero("status");
    expect(status.exitCode).toBe(1);
    expect(status.stdout).toMatch(/app\s+crash-looping/);
    expect(status.stdout).toMatch(
      /! app is crash-looping \(last: exit code 3\), \d+ restarts; next retry in \d+ s \(at \d\d:\d\d:\d\d UTC\)\. Run `make logs service=app`/,
    );
    const logs = (await stack.zero("logs", "app", "--no-follow", "--tail", "500")).stdout;
    expect(logs).toContain("CRASH_FILE exists, exiting with code 3");
  });

  it("guarantee: a crash-looping service recovers by itself once the cause is gone", async () => {
    rmSync(crashFile());
    await waitFor(
      () => stack.state().services.app!.state === "running" && stack.state().services.app!.health === "healthy",
      40_000,
      "app healthy after the crash loop",
    );
    const status = await stack.zero("status");
    expect(status.stdout).not.toContain("crash-looping");
  });
});

describe.sequential("faults: a launcher that outlives its worker", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("launcher");
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: when the worker under a launcher is killed -9, the liveness check restarts the service", async () => {
    const { pid } = stack.state().services.launcher!;
    const [worker] = childrenOf(pid);
    expect(worker).toBeGreaterThan(0);
    process.kill(worker!, "SIGKILL");
    const record = await stack.healthyAgain("launcher", pid, 20_000);
    expect(record.lastExit).toMatch(/failed health checks in a row \(connection refused/);
    const answer = await (await fetch(`http://127.0.0.1:${stack.env.APP_PORT}/`)).text();
    expect(answer).toBe(`pid ${childrenOf(record.pid)[0]}`);
  });
});
