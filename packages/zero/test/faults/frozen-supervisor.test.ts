import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, faultStack } from "./fault-stack.js";

// Fault: the supervisor is stopped (SIGSTOP: a debugger, a suspended laptop): alive, answering nothing.

describe.sequential("faults: a frozen supervisor", { timeout: 120_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  let supervisor = 0;
  beforeAll(async () => {
    stack = await faultStack("app");
    expect((await stack.zero("up")).exitCode).toBe(0);
    supervisor = stack.state().supervisor.pid;
    process.kill(supervisor, "SIGSTOP");
  });
  afterAll(async () => {
    if (alive(supervisor)) process.kill(supervisor, "SIGKILL");
    await stack.cleanUp();
  });

  it("guarantee: make status calls a stopped supervisor not answering (not dead, not healthy) and says what to do", async () => {
    const status = await stack.zero("status");
    expect(status.exitCode).toBe(1);
    expect(status.all).toContain(`supervisor is not answering: pid ${supervisor} is stopped`);
    expect(status.all).toContain(`kill -CONT ${supervisor}`);
    expect(status.all).not.toContain("healthy");
    const json = await stack.status();
    expect(json.services[0]).toMatchObject({ name: "app", state: "running", health: "unknown" });
  });

  it("guarantee: make dev does not claim a frozen stack healthy: ZERO_SUPERVISOR_UNREACHABLE with what to do", async () => {
    const up = await stack.zero("up");
    expect(up.exitCode).toBe(7);
    expect(up.all).toContain("ZERO_SUPERVISOR_UNREACHABLE");
    expect(up.all).toContain(`kill -CONT ${supervisor}`);
    expect(up.all).not.toContain("Already running and healthy");
  });

  it("guarantee: make down stops a frozen supervisor's services from the record, then the supervisor: nothing is left", async () => {
    const down = await stack.zero("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(down.all).toContain("The supervisor was stopped (not answering); stopped what it left running: app");
    expect(alive(supervisor)).toBe(false);
    expect(stack.processes()).toEqual([]);
    expect(await stack.portsFree()).toBe(true);
  });
});
