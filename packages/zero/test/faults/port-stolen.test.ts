import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { waitFor } from "../helpers/cli.js";
import { faultStack } from "./fault-stack.js";

// Another program binds a service's port while the service is down between two runs (a restart, a crash): the
// service cannot start again. Real processes: the fault fixture's app (restart: always) and a second Node program
// that takes its port.

describe.sequential("faults: a port stolen while a service restarts", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  let holder: ChildProcess | undefined;
  const port = () => Number(stack.env.APP_PORT);
  const record = () =>
    (
      JSON.parse(readFileSync(join(stack.home, "state.json"), "utf8")) as {
        services: Record<string, { state: string; health: string; crashLooping?: boolean; lastExit?: string }>;
      }
    ).services.app!;

  beforeAll(async () => {
    stack = await faultStack("app");
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  });
  afterAll(async () => {
    holder?.kill("SIGKILL");
    await stack.cleanUp();
  });

  it("guarantee: the start is refused naming the holder's pid and command, as the start-up check does", async () => {
    expect((await stack.zero("stop", "app")).exitCode).toBe(0);
    holder = spawn(
      process.execPath,
      ["-e", `require("node:net").createServer().listen(${port()}, "127.0.0.1")`, "port-thief"],
      {
        stdio: "ignore",
      },
    );
    await waitFor(async () => !(await isPortFree(port())), 10_000, "the thief listening");

    const start = await stack.zero("start", "app");
    // An expected condition with its own code and exit (3), as the start-up check names it; not ZERO_INTERNAL (70).
    expect(start.exitCode, start.all).toBe(3);
    expect(start.all).toContain("ZERO_PORT_IN_USE");
    expect(start.all).not.toContain("ZERO_INTERNAL");
    expect(start.all).toContain(`port ${port()} (http) is held by pid ${holder.pid}: `);
    expect(start.all).toContain("port-thief");
    // The control API answers it as a conflict with the stack's state (409, its code), not as a fault of its own (500).
    const { controlPort, token } = stack.state().supervisor;
    const answer = await fetch(`http://127.0.0.1:${controlPort}/v1/services/app/start`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ code: "ZERO_PORT_IN_USE" });
  });

  it("guarantee: make status calls it crash-looping, naming the holder as its last exit", async () => {
    await waitFor(() => record().crashLooping, 20_000, "app crash-looping");
    const status = await stack.zero("status");
    expect(status.stdout).toMatch(/app\s+crash-looping/);
    expect(status.stdout).toContain(
      `! app is crash-looping (last: cannot start: port ${port()} (http) is held by pid ${holder!.pid}`,
    );
  });

  it("guarantee: make dev on the running stack says crash-looping with the holder, the log lines and the next step, not a health deadline", async () => {
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(5);
    expect(up.all).toContain("ZERO_SERVICE_FAILED");
    expect(up.all).toContain("app is crash-looping");
    expect(up.all).toContain(`held by pid ${holder!.pid}`);
    expect(up.all).toContain("last lines of app:");
    expect(up.all).toContain("make logs service=app");
    expect(up.all).not.toContain("did not pass before the deadline");
  });

  it("guarantee: the service comes back by itself once the port is free again", async () => {
    holder!.kill("SIGKILL");
    await waitFor(() => record().state === "running" && record().health === "healthy", 40_000, "app healthy again");
    expect((await stack.zero("status")).exitCode).toBe(0);
  });
});
