import { describe, expect, it } from "vitest";
import type { StackService } from "@zero/contracts/control";
import { statusOf } from "./service-status.js";

describe("one service status, derived from the contract", () => {
  it("keeps every field of the control API's answer but stack.yaml's facts, and no pid or start time while nothing runs", () => {
    const answer: StackService = {
      state: "restarting",
      health: "unknown",
      pid: 0,
      startedAt: "",
      pgid: 7,
      startTime: "123",
      ports: { main: 3001 },
      restarts: 2,
      lastCheckAt: "2026-01-01T00:00:00.000Z",
      lastExit: "exit code 1",
      kind: "node",
      description: "the API",
      dependsOn: { postgres: "healthy" },
      urls: { main: "http://127.0.0.1:3001" },
    };
    const status = statusOf("api", answer);
    expect(status).toMatchObject({
      name: "api",
      pgid: 7,
      startTime: "123",
      lastCheckAt: "2026-01-01T00:00:00.000Z",
      lastExit: "exit code 1",
    });
    expect(status.pid).toBeUndefined();
    expect(status.startedAt).toBeUndefined();
    for (const fact of ["kind", "description", "dependsOn", "urls"]) expect(status).not.toHaveProperty(fact);
  });
});
