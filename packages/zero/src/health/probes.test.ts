import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postgresProbe, type Probe } from "./probes.js";
import { ProbeTimeoutError, waitUntilHealthy } from "./wait.js";

// A real TCP server that accepts and never answers: a PostgreSQL that hangs (a loaded machine, a stuck server).
let server: Server | undefined;
const sockets: Socket[] = [];
async function silentServer(): Promise<number> {
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (!server) return;
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

const elapsed = async (work: () => Promise<unknown>) => {
  const began = Date.now();
  await work().catch(() => {});
  return Date.now() - began;
};

describe("a probe attempt ends at its timeout", () => {
  it("waitUntilHealthy gives up at the deadline even when a probe ignores its signal", async () => {
    const never: Probe = () => new Promise(() => {});
    const waiting = waitUntilHealthy(never, {
      intervalMs: 10,
      timeoutMs: 100,
      deadline: Date.now() + 300,
      signal: new AbortController().signal,
    });
    await expect(waiting).rejects.toBeInstanceOf(ProbeTimeoutError);
  });

  it("postgresProbe against a server that never answers fails at the attempt's timeout, attempt after attempt", async () => {
    const port = await silentServer();
    const probe = postgresProbe(`postgres://app:secret@127.0.0.1:${port}/app`);
    // The abort path used to call pg's end() twice, which never resolves (node-postgres #2716): `zero up` hung.
    // Each call settles by itself (at pg's own 2 s connection timeout at the latest), without runAttempt's bound.
    for (let i = 0; i < 2; i++) {
      const ms = await elapsed(() => probe(AbortSignal.timeout(150)));
      expect(ms).toBeLessThan(4000);
    }
    const waiting = waitUntilHealthy(probe, {
      intervalMs: 10,
      timeoutMs: 150,
      deadline: Date.now() + 600,
      signal: new AbortController().signal,
    });
    await expect(waiting).rejects.toThrow(/timed out/);
  });
});
