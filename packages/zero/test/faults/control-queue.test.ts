import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControlClient } from "@zero/contracts/control-client";
import { waitFor } from "../helpers/cli.js";
import { faultStack } from "./fault-stack.js";

// Fault: control actions for one service arriving at the same moment (two dashboard tabs and the CLI).

describe.sequential("faults: concurrent control actions on one service", { timeout: 120_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("app");
    expect((await stack.zero("up")).exitCode).toBe(0);
  });
  afterAll(() => stack.cleanUp());

  const control = () => {
    const { supervisor } = stack.state();
    return createControlClient({ url: `http://127.0.0.1:${supervisor.controlPort}`, token: supervisor.token });
  };
  const appProcesses = () => stack.processes().filter((pid) => pid !== stack.state().supervisor.pid);

  it("guarantee: three restarts of one service at once run one after another (or join): one process runs, and make down frees every port", async () => {
    const client = control();
    const answers = await Promise.all([client.restart("app"), client.restart("app"), client.restart("app")]);
    expect(answers.map((answer) => answer.restarted)).toEqual(["app", "app", "app"]);
    expect(answers.filter((answer) => answer.joined)).not.toHaveLength(0); // the ones that arrived during one joined it
    const record = stack.state().services.app!;
    expect(record).toMatchObject({ state: "running", health: "healthy" });
    expect(appProcesses()).toEqual([record.pid]);
    expect((await stack.zero("down")).exitCode).toBe(0);
    expect(stack.processes()).toEqual([]);
    expect(await stack.portsFree()).toBe(true);
  });

  it("guarantee: a stop, a start and a restart of one service at once run in order of arrival; the record matches what runs", async () => {
    expect((await stack.zero("up")).exitCode).toBe(0);
    const client = control();
    const [stopped, started, restarted] = await Promise.all([
      client.stop("app"),
      client.start("app"),
      client.restart("app"),
    ]);
    expect(stopped.stopped).toBe(true);
    expect(started.started).toBe(true); // it ran after the stop, not beside it
    expect(restarted.restarted).toBe("app");
    const record = stack.state().services.app!;
    expect(record.state).toBe("running");
    expect(appProcesses()).toEqual([record.pid]);
  });

  it("guarantee: make down during a restart waits for it, then stops everything (the restart is answered, nothing is left)", async () => {
    const before = stack.state().services.app!.pid;
    const restarting = control().restart("app");
    // Down once the restart is under way (the record shows it), so that it arrives during it, not before.
    await waitFor(
      () => stack.state().services.app!.pid !== before || stack.state().services.app!.state !== "running",
      10_000,
      "the restart under way",
    );
    const down = await stack.zero("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(await restarting).toMatchObject({ restarted: "app" });
    expect(stack.processes()).toEqual([]);
    expect(await stack.portsFree()).toBe(true);
  });
});
