import { createFakeControlClient } from "@zero/contracts/fake-control-client";
import { describe, expect, it } from "vitest";
import { stackStatusOf } from "../fake-stack-status.js";
import { postgresUnderSupervisor } from "./control.js";

// The restore's "is PostgreSQL coming back?" logic against the FAKE control client (a fake of the supervisor's
// protocol boundary); the real restore runs against a real supervisor in test/integration/database-lifecycle.test.ts.

describe("PostgreSQL stopped and started through the supervisor for a restore", () => {
  it("stops and starts it, and sees no failure while it runs", async () => {
    const fake = createFakeControlClient(stackStatusOf({ postgres: {} }));
    const postgres = postgresUnderSupervisor(fake, "postgres");
    await postgres.stop();
    expect(fake.state.services.postgres!.state).toBe("stopped");
    await postgres.start();
    expect(fake.state.services.postgres!.state).toBe("running");
    expect(await postgres.failure()).toBeUndefined();
    expect(fake.calls).toEqual(["stop postgres", "status", "start postgres", "status"]);
  });

  it("reports why when it crashes after the start (restarts counted from the start, not before)", async () => {
    const fake = createFakeControlClient(stackStatusOf({ postgres: { restarts: 2 } }));
    const postgres = postgresUnderSupervisor(fake, "postgres");
    await postgres.stop();
    await postgres.start();
    expect(await postgres.failure()).toBeUndefined(); // the 2 earlier restarts do not count
    Object.assign(fake.state.services.postgres!, { state: "running", restarts: 3, lastError: "exit code 1" });
    expect(await postgres.failure()).toBe("exit code 1");
  });

  it("reports a failed or restarting state with its reason, or the state when there is none", async () => {
    const fake = createFakeControlClient(stackStatusOf({ postgres: {} }));
    fake.onAction = (_service, action, record) => {
      if (action === "start") Object.assign(record, { state: "failed", lastError: "could not open PG_VERSION" });
    };
    const postgres = postgresUnderSupervisor(fake, "postgres");
    await postgres.stop();
    await postgres.start();
    expect(await postgres.failure()).toBe("could not open PG_VERSION");
    Object.assign(fake.state.services.postgres!, { state: "restarting", lastError: undefined });
    expect(await postgres.failure()).toBe("it is restarting");
  });

  it("passes a control API failure on with its code", async () => {
    const fake = createFakeControlClient(stackStatusOf({ postgres: {} }));
    fake.failNext("CONTROL_UNREACHABLE");
    await expect(postgresUnderSupervisor(fake, "postgres").stop()).rejects.toMatchObject({
      code: "CONTROL_UNREACHABLE",
    });
  });
});
