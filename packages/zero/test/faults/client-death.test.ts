import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { faultStack } from "./fault-stack.js";

// Fault: the `make dev` that starts the stack dies (Ctrl-C, kill -9) while PostgreSQL is starting. Real PostgreSQL.

describe.sequential("faults: make dev killed while PostgreSQL starts", { timeout: 240_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  beforeAll(async () => {
    stack = await faultStack("db");
  });
  afterAll(() => stack.cleanUp());

  it("guarantee: Ctrl-C or kill -9 of make dev at `postgres starting` leaves nothing running, and the next make dev starts", async () => {
    // The first try initialises the data directory (seconds of initdb to race with); the later ones start on it.
    for (const signal of ["SIGKILL", "SIGINT", "SIGKILL", "SIGINT"] as const) {
      const up = stack.zero("up");
      let output = "";
      up.all!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      await waitFor(() => /postgres\s+starting/.test(output), 60_000, "make dev printing `postgres starting`");
      up.kill(signal);
      await up;
      // The supervisor hears its client go and stops what it started; nothing may start after that.
      await waitFor(() => stack.processes().length === 0, 30_000, `nothing left after ${signal} of make dev`);
      expect(await stack.portsFree(), `ports after ${signal}`).toBe(true);
    }
    const again = await stack.zero("up");
    expect(again.exitCode, again.all).toBe(0);
  });
});
