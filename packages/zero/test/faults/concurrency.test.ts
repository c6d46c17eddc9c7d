import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../helpers/cli.js";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultStack, faultsCwd, processesWithEnv } from "./fault-stack.js";

const supervisorEntry = fileURLToPath(new URL("../../dist/supervisor.js", import.meta.url));

// Faults: two lifecycle commands at once on one stack home, and a port already taken. Real CLI processes.

/** Supervisors of this stack: node processes running dist/supervisor.js with its ZERO_HOME. */
function supervisors(home: string): number[] {
  return processesWithEnv(`ZERO_HOME=${home}`).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("supervisor.js");
    } catch {
      return false;
    }
  });
}

describe.sequential("faults: concurrent starts", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("app");
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: two make dev at once give one running stack and one supervisor; the second waits, then says it is running", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      // A slow start keeps the first command inside the lock long after the second has started, however loaded the
      // machine is (on a quiet one a fast app let the first finish before the second even looked).
      stack.env.START_DELAY_MS = "2500";
      const both = Promise.all([stack.zero("up"), stack.zero("up")]);
      delete stack.env.START_DELAY_MS;
      const [first, second] = await both;
      expect(first.exitCode, first.all).toBe(0);
      expect(second.exitCode, second.all).toBe(0);
      const outputs = [first.all!, second.all!];
      expect(outputs.filter((text) => text.includes("Already running and healthy"))).toHaveLength(1);
      expect(
        outputs.some((text) => /zero up` \(pid \d+\) is already starting or stopping this stack; waiting/.test(text)),
      ).toBe(true);
      expect(supervisors(stack.home)).toHaveLength(1);
      expect(stack.state().services.app!.health).toBe("healthy");
      expect((await stack.zero("down")).exitCode).toBe(0);
    }
  });

  it("guarantee: make down during make dev waits for it, then stops everything (nothing half-started is left)", async () => {
    stack.env.START_DELAY_MS = "8000"; // down arrives while up still waits for the app, even on a loaded machine
    const starting = stack.zero("up");
    delete stack.env.START_DELAY_MS;
    await waitFor(() => existsSync(join(stack.home, "lifecycle.lock")), 10_000, "make dev holding the lock");
    const down = await stack.zero("down");
    expect(down.all).toMatch(/zero up` \(pid \d+\) is already starting or stopping this stack; waiting/);
    expect((await starting).exitCode).toBe(0);
    expect(down.exitCode, down.all).toBe(0);
    expect(stack.processes()).toEqual([]);
    expect(await stack.portsFree()).toBe(true);
  });
});

describe.sequential("faults: a second supervisor on one home", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("app");
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: a supervisor started on a home that already has a live one starts nothing and says so (even without the CLI's lock)", async () => {
    expect((await stack.zero("up")).exitCode).toBe(0);
    const before = stack.state();
    const second = fork(supervisorEntry, [], { env: { ...process.env, ...stack.env }, stdio: "ignore" });
    const plan = {
      root: faultsCwd,
      home: stack.home,
      profile: "app",
      fingerprint: "x",
      services: {},
      secrets: [],
      deadlineMs: 5_000,
    };
    const message = new Promise((resolve) => second.once("message", resolve));
    second.send(plan);
    const [code] = await once(second, "exit");
    expect(code).toBe(6);
    expect(await message).toMatchObject({ type: "failed", error: { code: "ZERO_STACK_BUSY" } });
    expect(stack.state().supervisor.pid).toBe(before.supervisor.pid);
    expect(stack.state().services.app!.pid).toBe(before.services.app!.pid);
  });
});

describe.sequential("faults: a port already taken", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  let squatter: Server;
  beforeAll(async () => {
    stack = await faultStack("app");
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(stack.env.APP_PORT), "127.0.0.1", resolve));
  });
  afterAll(async () => {
    squatter.close();
    await stack.cleanUp();
  });

  it("guarantee: a port conflict is refused before anything starts, naming the port, its variable and its holder", async () => {
    const up = await stack.zero("up");
    expect(up.exitCode).toBe(3);
    expect(up.all).toContain("ZERO_PORT_IN_USE");
    expect(up.all).toContain(String(stack.env.APP_PORT));
    expect(up.all).toContain("APP_PORT");
    expect(up.all).toContain(`pid ${process.pid}`);
    expect(stack.processes()).toEqual([]);
  });
});
