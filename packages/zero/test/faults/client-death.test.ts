import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runZero, waitFor } from "../helpers/cli.js";
import { alive, faultStack } from "./fault-stack.js";

// Fault: the `make dev` that starts the stack dies (Ctrl-C, kill -9) while PostgreSQL starts, and what such a death
// can leave behind. Real PostgreSQL and Redis.

describe.sequential("faults: make dev killed while PostgreSQL starts", { timeout: 240_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("db");
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: Ctrl-C or kill -9 of make dev between PostgreSQL's preparation and its launch leaves nothing running, and the next make dev starts", async () => {
    // That moment lasts a few ms in real use; ZERO_TEST_HOLD_LAUNCH holds it open until the shutdown has looked for
    // processes to stop, then lets the start go on: it must not launch (it did, and PostgreSQL ran with no record).
    for (const signal of ["SIGKILL", "SIGINT"] as const) {
      const up = runZero(["up"], { cwd: stack.cwd, env: { ...stack.env, ZERO_TEST_HOLD_LAUNCH: "postgres" } });
      let output = "";
      up.all!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      await waitFor(() => output.includes("postgres: launch held"), 90_000, "the launch of postgres held");
      up.kill(signal);
      await up;
      // The supervisor hears its client go and stops what it started; nothing may start after that.
      await waitFor(() => stack.processes().length === 0, 30_000, `nothing left after ${signal} of make dev`).catch(
        (error: Error) => expect(stack.processes(), `${error.message}; supervisor output: ${output}`).toEqual([]),
      );
      expect(await stack.portsFree(), `ports after ${signal}`).toBe(true);
    }
    const again = await stack.zero("up");
    expect(again.exitCode, again.all).toBe(0);
  });

  it("guarantee: whatever a dead client leaves running without a record (PostgreSQL, Redis), the next make dev stops it and starts; make down stops it too", async () => {
    if ((await stack.zero("status")).exitCode !== 0) expect((await stack.zero("up")).exitCode).toBe(0);
    // What a client death at the wrong moment leaves: servers running, no supervisor, no record.
    const leaveLeftovers = () => {
      const { supervisor, services } = stack.state();
      process.kill(supervisor.pid, "SIGKILL");
      rmSync(join(stack.home, "state.json"));
      return [services.postgres!.pid, services.redis!.pid];
    };
    const left = leaveLeftovers();
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0); // was ZERO_PORT_IN_USE naming our own PostgreSQL
    expect(up.all).toMatch(/postgres, redis of this stack running with no record .*stopped/);
    expect(left.filter(alive)).toEqual([]);
    const { services } = stack.state();
    expect(services.postgres).toMatchObject({ state: "running", health: "healthy" });

    const leftAgain = leaveLeftovers();
    const down = await stack.zero("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(down.all).not.toMatch(/Nothing is running/);
    expect(leftAgain.filter(alive)).toEqual([]);
    expect(stack.processes()).toEqual([]);
    expect(await stack.portsFree()).toBe(true);
  });
});
