import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { QueueClosed, ServiceQueue } from "../../src/control/service-queue.js";

/** An action that records when it ran, and overlaps with any other running at the same time. */
function recorder() {
  const log: string[] = [];
  let running = 0;
  let overlapped = false;
  const action =
    (name: string, ms = 5, fail = false) =>
    async () => {
      running++;
      if (running > 1) overlapped = true;
      log.push(`${name} begins`);
      await sleep(ms);
      log.push(`${name} ends`);
      running--;
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  return { log, action, overlapped: () => overlapped };
}

describe("ServiceQueue: one action at a time per service", () => {
  it("runs different actions of one service in order of arrival, never two at once", async () => {
    const queue = new ServiceQueue();
    const { log, action, overlapped } = recorder();
    const answers = await Promise.all([
      queue.run("api", "stop", action("stop")),
      queue.run("api", "start", action("start")),
      queue.run("api", "restart", action("restart")),
    ]);
    expect(answers).toEqual([
      { result: "stop", joined: false },
      { result: "start", joined: false },
      { result: "restart", joined: false },
    ]);
    expect(log).toEqual(["stop begins", "stop ends", "start begins", "start ends", "restart begins", "restart ends"]);
    expect(overlapped()).toBe(false);
  });

  it("a request for the action already queued or running joins it: run once, answered to each, marked joined", async () => {
    const queue = new ServiceQueue();
    const { log, action } = recorder();
    const answers = await Promise.all([1, 2, 3].map(() => queue.run("api", "restart", action("restart"))));
    expect(log).toEqual(["restart begins", "restart ends"]);
    expect(answers.map((answer) => answer.joined)).toEqual([false, true, true]);
  });

  it("a restart after the last one finished runs again (joining is only for one in flight)", async () => {
    const queue = new ServiceQueue();
    const { log, action } = recorder();
    await queue.run("api", "restart", action("first"));
    await queue.run("api", "restart", action("second"));
    expect(log).toEqual(["first begins", "first ends", "second begins", "second ends"]);
  });

  it("services do not wait for each other; a failure answers its own request and does not block the next", async () => {
    const queue = new ServiceQueue();
    const { log, action } = recorder();
    const failing = queue.run("api", "restart", action("api restart", 20, true));
    const other = queue.run("web", "restart", action("web restart", 1));
    const next = queue.run("api", "stop", action("api stop", 1));
    await expect(failing).rejects.toThrow("api restart failed");
    await expect(other).resolves.toEqual({ result: "web restart", joined: false });
    await expect(next).resolves.toEqual({ result: "api stop", joined: false });
    expect(log.indexOf("web restart ends")).toBeLessThan(log.indexOf("api restart ends"));
  });

  it("close refuses new actions with a 409 and the reason; drain waits for those queued before", async () => {
    const queue = new ServiceQueue();
    const { log, action } = recorder();
    const inFlight = queue.run("api", "restart", action("restart", 20));
    queue.close("the stack is stopping");
    const late = queue.run("api", "start", action("start"));
    await expect(late).rejects.toBeInstanceOf(QueueClosed);
    await expect(late).rejects.toMatchObject({ status: 409, message: "the stack is stopping" });
    await queue.drain();
    expect(log).toEqual(["restart begins", "restart ends"]);
    await inFlight;
  });
});
