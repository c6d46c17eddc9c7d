import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { tcpProbe, type Probe } from "./probes.js";
import { waitUntilHealthy } from "./wait.js";

// A port nothing listens on yet: taken from a server closed at once (loopback refuses it).
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let server: Server | undefined;
afterEach(async () => {
  if (server?.listening) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A TCP check nudged by the lines a (pretend) service prints: `lines` as the supervisor's log hub would. */
function nudgedProbe(port: number, lines: EventEmitter): Probe {
  const nudges = (nudge: () => void) => {
    lines.on("line", nudge);
    return () => lines.off("line", nudge);
  };
  return Object.assign(tcpProbe("127.0.0.1", port), { nudges });
}

/** Resolves once `count()` reaches `n`: the wait has made that many attempts. */
async function attempts(count: () => number, n: number): Promise<void> {
  while (count() < n) await new Promise((resolve) => setImmediate(resolve));
}

// Intervals far longer than the test's own timeout: only a nudge can make an attempt come sooner.
const options = (signal = new AbortController().signal) => ({
  intervalMs: 60_000,
  timeoutMs: 1000,
  deadline: Date.now() + 120_000,
  signal,
});

/** A nudged wait on a free port where nothing listens yet, once its first attempt has failed. */
async function waitingAfterOneFailure() {
  const port = await freePort();
  const lines = new EventEmitter();
  const failures: string[] = [];
  const waiting = waitUntilHealthy(nudgedProbe(port, lines), {
    ...options(),
    onAttemptFailed: (reason) => failures.push(reason),
  });
  await attempts(() => failures.length, 1);
  return { port, lines, failures, waiting };
}

describe("a wait nudged by the service's output", () => {
  it("checks again when the service prints a line, not an interval later", async () => {
    const { port, lines, waiting } = await waitingAfterOneFailure();
    server = createServer((socket) => socket.end());
    server.listen(port, "127.0.0.1", () => lines.emit("line", "Server listening"));
    expect(await waiting).toBe(2);
    expect(lines.listenerCount("line")).toBe(0);
  });

  it("a line printed before it listens costs one more attempt, and the wait goes on", async () => {
    const { port, lines, failures, waiting } = await waitingAfterOneFailure();
    lines.emit("line", "Debugger listening");
    await attempts(() => failures.length, 2);
    server = createServer((socket) => socket.end());
    server.listen(port, "127.0.0.1", () => lines.emit("line", "Server listening"));
    expect(await waiting).toBe(3);
    expect(failures).toEqual(["connection refused (service down)", "connection refused (service down)"]);
  });

  it("a wait without nudges keeps its interval; a stopped wait lets go of its nudges", async () => {
    const port = await freePort();
    const failures: string[] = [];
    const plain = waitUntilHealthy(tcpProbe("127.0.0.1", port), {
      ...options(AbortSignal.timeout(300)),
      onAttemptFailed: (reason) => failures.push(reason),
    });
    await expect(plain).rejects.toThrow();
    expect(failures).toHaveLength(1);

    const lines = new EventEmitter();
    const stop = new AbortController();
    const nudged = waitUntilHealthy(nudgedProbe(port, lines), {
      ...options(stop.signal),
      onAttemptFailed: () => failures.push(""),
    });
    await attempts(() => failures.length, 2);
    stop.abort(new Error("the stack is stopping"));
    await expect(nudged).rejects.toThrow("the stack is stopping");
    expect(lines.listenerCount("line")).toBe(0);
  });
});
