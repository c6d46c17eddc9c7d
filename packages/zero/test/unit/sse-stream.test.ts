import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ControlApi } from "../../src/control/control-api.js";
import { LogHub } from "../../src/control/log-hub.js";
import { SseStream } from "../../src/control/sse.js";

// Real sockets: a client that stops reading makes write() return false, as a stalled browser tab does.
let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;
});

function serve(handler: (stream: SseStream) => void, maxQueuedBytes: number): Promise<number> {
  server = createServer((_request, response) => handler(new SseStream(response, maxQueuedBytes)));
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => resolve((server!.address() as AddressInfo).port)),
  );
}

describe("SseStream back-pressure", () => {
  it("cuts off a client that stopped reading instead of buffering without limit", async () => {
    let stream!: SseStream;
    const port = await serve((s) => (stream = s), 256 * 1024);
    const socket = connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"));
    socket.pause(); // never reads
    await new Promise((resolve) => setTimeout(resolve, 100));
    const line = "x".repeat(1000);
    let sent = 0;
    while (!stream.closed && sent < 100_000) {
      stream.send(line, { id: sent++ });
      if (sent % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(stream.closed).toBe(true);
    // kernel buffers + 256 KB queue: far below the 100 MB an unbounded buffer would have taken
    expect(sent).toBeLessThan(20_000);
    socket.destroy();
  });

  it("delivers every frame in order to a client that reads", async () => {
    const port = await serve(
      (stream) => {
        for (let id = 1; id <= 2000; id++) stream.send(`line ${id} ${"y".repeat(500)}`, { id });
      },
      4 * 1024 * 1024,
    );
    const response = await fetch(`http://127.0.0.1:${port}/`);
    const reader = response.body!.getReader();
    let text = "";
    while (!text.includes("id: 2000\n")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids).toEqual(Array.from({ length: 2000 }, (_, index) => index + 1));
  });
});

describe("LogHub resume", () => {
  it("gives a reconnecting follower only the lines after its Last-Event-ID, even after old ones were dropped", () => {
    const hub = new LogHub(3);
    for (const n of [1, 2, 3, 4, 5]) hub.publish({ ts: `t${n}`, service: n % 2 ? "api" : "web", line: `l${n}` });
    expect(hub.numbered({ after: 3 }).map(({ id, entry }) => [id, entry.line])).toEqual([
      [4, "l4"],
      [5, "l5"],
    ]);
    expect(hub.numbered({ after: 0 }).map(({ id }) => id)).toEqual([3, 4, 5]); // 1 and 2 are gone
    expect(hub.numbered({ after: 3, service: "api" }).map(({ id }) => id)).toEqual([5]);
    expect(hub.numbered({ tail: 2 }).map(({ id }) => id)).toEqual([4, 5]);
  });
});

describe("ControlApi Host allowlist", () => {
  it("refuses a foreign Host even with the right token", async () => {
    const api = new ControlApi().route("GET", "/v1/ping", async () => ({ ok: true }));
    const port = await api.listen();
    try {
      const ask = (host: string) =>
        new Promise<string>((resolve) => {
          const socket = connect(port, "127.0.0.1", () =>
            socket.write(
              `GET /v1/ping HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer ${api.token}\r\nconnection: close\r\n\r\n`,
            ),
          );
          let text = "";
          socket.on("data", (data) => (text += data));
          socket.on("end", () => resolve(text.split("\r\n")[0]!));
        });
      expect(await ask(`evil.example:${port}`)).toMatch(/ 403 /);
      expect(await ask(`127.0.0.1:${port}`)).toMatch(/ 200 /);
    } finally {
      await api.close();
    }
  });
});
