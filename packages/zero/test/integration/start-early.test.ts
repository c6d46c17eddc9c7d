import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { runZero, waitFor } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";
import { alive, processesOf } from "../faults/fault-stack.js";

const cwd = new URL("../fixtures/early-start/", import.meta.url).pathname;

/**
 * start_early against real processes: PostgreSQL and a fixture program that reports when it was spawned and when it
 * was told, and connects once (no retry) right after the line. Runs in order; each test leaves nothing running.
 */
describe.sequential("start_early: launched beside its dependencies, told on its fd once they are met", {
  timeout: 180_000,
}, () => {
  let env: Record<string, string>;
  const zero = (extra: Record<string, string> = {}, ...args: string[]) =>
    runZero(args, { cwd, env: { ...env, ...extra } });
  const log = (service: string) => readFileSync(join(env.ZERO_HOME!, "logs", `${service}.log`), "utf8");
  const state = () => JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8"));
  /** Nothing of the stack runs and its ports are free. */
  const nothingLeft = async () => {
    await waitFor(() => processesOf(env.ZERO_HOME!).length === 0, 30_000, "every process of the stack gone").catch(
      (error: Error) => expect(processesOf(env.ZERO_HOME!), error.message).toEqual([]),
    );
    for (const name of ["POSTGRES_PORT", "APP_PORT", "DOOMED_PORT"])
      expect(await isPortFree(Number(env[name])), name).toBe(true);
  };

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT", "APP_PORT", "DOOMED_PORT"], {
      POSTGRES_PASSWORD: "early-start-pw",
      ZERO_PROFILE: "full",
    });
    env.MARK_FILE = join(env.ZERO_HOME!, "early.pid");
  });
  afterEach(async () => {
    await zero({}, "down");
    rmSync(env.MARK_FILE!, { force: true });
  });
  afterAll(() => rmSync(env.ZERO_HOME!, { recursive: true, force: true }));

  it("spawns it before PostgreSQL is healthy, tells it only after, and the same process serves", async () => {
    const up = await zero({}, "up");
    expect(up.exitCode, up.all).toBe(0);
    const out = up.all!;
    // The timeline shows both moments: spawned, then (dependencies met) starting.
    const spawned = out.indexOf("early     spawned early, waiting for its dependencies");
    expect(spawned, out).toBeGreaterThan(-1);
    expect(spawned).toBeLessThan(out.indexOf("postgres  healthy"));
    expect(out.indexOf("early     starting")).toBeGreaterThan(out.indexOf("postgres  healthy"));
    expect(out).toMatch(/early\s+healthy in \d+ ms/);
    // The order promise: its one connection, made as soon as it was told, was accepted.
    const lines = log("early");
    const pid = Number(readFileSync(env.MARK_FILE!, "utf8"));
    expect(lines).toContain(`early: spawned, pid ${pid}, gate on fd 3`);
    expect(lines).toContain('early: told "ready"');
    expect(lines).toContain("early: connected to PostgreSQL at the first attempt");
    expect(lines.indexOf("[zero] early: dependencies met")).toBeLessThan(lines.indexOf('early: told "ready"'));
    expect(state().services.early).toMatchObject({ pid, state: "running", health: "healthy" });
    // Told after PostgreSQL was healthy, by the supervisor's own clock.
    const events = readFileSync(join(env.ZERO_HOME!, "logs", "supervisor.log"), "utf8").split("\n");
    const at = (pattern: RegExp) => Date.parse(events.find((line) => pattern.test(line))!.slice(0, 24));
    const toldAt = Date.parse(
      lines
        .split("\n")
        .find((line) => line.includes("dependencies met"))!
        .slice(0, 24),
    );
    expect(toldAt).toBeGreaterThanOrEqual(at(/"type":"healthy","service":"postgres"/));
    expect(at(/"type":"spawned","service":"early"/)).toBeLessThanOrEqual(at(/"type":"healthy","service":"postgres"/));
    // The start's first moments, as `make bench` prints them: the supervisor loaded, then its plan, then the services.
    expect(at(/ loaded, waiting for the plan$/)).toBeLessThanOrEqual(at(/ plan received: \d+ services, profile full$/));
    expect(at(/ plan received: /)).toBeLessThanOrEqual(at(/"type":"starting","service":"postgres"/));
  });

  it("a restart after the start launches it ungated, and it comes back healthy", async () => {
    expect((await zero({}, "up")).exitCode).toBe(0);
    const before = state().services.early.pid;
    const restart = await zero({}, "restart", "early");
    expect(restart.exitCode, restart.all).toBe(0);
    const after = state().services.early;
    expect(after.pid).not.toBe(before);
    expect(after).toMatchObject({ state: "running", health: "healthy" });
    expect(log("early")).toContain(`early: spawned, pid ${after.pid}, gate none`);
  });

  it("one that dies before its dependencies are met is a failed start, with its output shown, and nothing is left", async () => {
    // PostgreSQL held before its launch: the early service surely dies while it waits.
    const up = await zero({ EXIT_BEFORE_READY: "1", ZERO_TEST_HOLD_LAUNCH: "postgres" }, "up");
    expect(up.exitCode).not.toBe(0);
    expect(up.all).toContain("early exited before its dependencies were met: exit code 3");
    expect(up.all).toContain("early: giving up before its dependencies were met");
    await nothingLeft();
  });

  it("make dev stopped (Ctrl-C) while it waits stops it too", async () => {
    const up = zero({ ZERO_TEST_HOLD_LAUNCH: "postgres" }, "up");
    await waitFor(() => existsSync(env.MARK_FILE!), 90_000, "the early service spawned");
    const pid = Number(readFileSync(env.MARK_FILE!, "utf8"));
    expect(alive(pid)).toBe(true);
    // Recorded as starting, not running, until the gate opens (make status, the dashboard).
    await waitFor(() => state().services.early?.pid === pid, 10_000, "the early service recorded");
    expect(state().services.early).toMatchObject({ state: "starting", health: "unknown" });
    up.kill("SIGINT");
    await up;
    await nothingLeft();
    const lines = log("early");
    expect(lines.slice(lines.indexOf(`early: spawned, pid ${pid}`))).not.toContain("early: told");
  });

  it("a dependency that never turns healthy fails the start and stops the service that waited for it", async () => {
    const up = await zero({ ZERO_PROFILE: "dead" }, "up");
    expect(up.exitCode).not.toBe(0);
    expect(up.all).toMatch(/doomed.*exited while starting: exit code 2/);
    const pid = Number(readFileSync(env.MARK_FILE!, "utf8"));
    expect(alive(pid)).toBe(false);
    expect(log("waiter")).not.toContain("early: told");
    await nothingLeft();
  });
});
