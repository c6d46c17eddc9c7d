import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { StackStatus } from "../control/status.js";
import { createControlClient } from "./client.js";
import { isControlApiError } from "./errors.js";
import { parseFrame } from "./server-sent-events.js";

// A fake of a protocol boundary: a tiny HTTP server answers as the supervisor's control API would (or breaks the
// contract on purpose), so the client's parsing and error codes are tested without starting a stack. The real
// supervisor answers the same client in packages/zero/test/integration/native-lifecycle.test.ts.

type Answer = (request: IncomingMessage, response: ServerResponse) => void;
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(answer: Answer) {
  const seen: { method?: string; url?: string; authorization?: string }[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
    answer(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { client: createControlClient({ url, token: "t0ken" }), seen, url };
}

const json =
  (status: number, body: unknown): Answer =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

const status: StackStatus = {
  version: 1,
  runtime: "native",
  profile: "test",
  fingerprint: "abc",
  supervisor: { pid: 42 },
  at: "2026-01-01T00:00:00.000Z",
  services: {
    redis: {
      state: "running",
      health: "healthy",
      pid: 7,
      pgid: 7,
      startTime: "1",
      ports: { main: 6380 },
      restarts: 0,
      startedAt: "2026-01-01T00:00:00.000Z",
      cpu: 0.5,
      memoryBytes: 9_000_000,
      kind: "redis",
      description: "",
      dependsOn: {},
      urls: {},
    },
  },
};

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isControlApiError(error)) throw new Error(`expected a ControlApiError, got ${String(error)}`);
  return error;
};

describe("the control API client", () => {
  it("sends the token, asks for a fresh status and returns the parsed answer", async () => {
    const { client, seen } = await serve(json(200, { ...status, extra: "dropped" }));
    expect(await client.status({ fresh: true })).toEqual(status);
    expect(seen).toEqual([{ method: "GET", url: "/v1/status?fresh=1", authorization: "Bearer t0ken" }]);
  });

  it("refuses an answer that breaks the contract, naming the field", async () => {
    const { client } = await serve(
      json(200, { ...status, services: { redis: { ...status.services.redis, state: "sleeping" } } }),
    );
    const error = await failure(client.status());
    expect(error.code).toBe("CONTROL_INVALID_ANSWER");
    expect(error.message).toContain("services.redis.state");
  });

  it("keeps the server's own error text and status", async () => {
    const { client, seen } = await serve(json(500, { error: 'unknown service "nope"' }));
    const error = await failure(client.stop("nope"));
    expect(error).toMatchObject({ code: "CONTROL_REFUSED", status: 500 });
    expect(error.message).toContain('unknown service "nope"');
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v1/services/nope/stop" });
  });

  it("tells a closed port (unreachable) from a server that does not answer in time (timeout)", async () => {
    const { client, url } = await serve(() => {}); // never answers
    expect((await failure(client.status({ timeoutMs: 100 }))).code).toBe("CONTROL_TIMEOUT");
    servers[0]!.closeAllConnections();
    await new Promise((resolve) => servers.splice(0)[0]!.close(resolve));
    const gone = createControlClient({ url, token: "t0ken" });
    expect((await failure(gone.status())).code).toBe("CONTROL_UNREACHABLE");
  });

  it("parses each action's answer with its own schema", async () => {
    const { client } = await serve((request, response) => {
      const body = request.url!.endsWith("/restart")
        ? { restarted: "api" }
        : request.url === "/v1/down"
          ? { stopped: ["api"] }
          : { service: "api", started: true };
      json(200, body)(request, response);
    });
    expect(await client.act("api", "restart")).toEqual({ restarted: "api" });
    expect(await client.start("api")).toEqual({ service: "api", started: true });
    expect(await client.down()).toEqual({ stopped: ["api"] });
  });

  it("follows logs: history then live lines with their ids, ends quietly when aborted", async () => {
    const { client, seen } = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`id: 1\ndata: ${JSON.stringify({ ts: "t1", service: "api", line: "one" })}\n\n: keep-alive\n\n`);
      response.write(`id: 2\ndata: ${JSON.stringify({ ts: "t2", service: "api", line: "two" })}\n\n`);
    });
    const controller = new AbortController();
    const got: [string, number][] = [];
    await client.followLogs(
      { service: "api", tail: 5 },
      (entry, id) => {
        got.push([entry.line, id]);
        if (got.length === 2) controller.abort();
      },
      controller.signal,
    );
    expect(got).toEqual([
      ["one", 1],
      ["two", 2],
    ]);
    expect(seen[0]!.url).toBe("/v1/logs?follow=1&service=api&tail=5");
  });

  it("fails a followed stream whose event breaks the contract", async () => {
    const { client } = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end(`data: ${JSON.stringify({ ts: "t1", line: "no service" })}\n\n`);
    });
    const error = await failure(client.followLogs({}, () => {}, new AbortController().signal));
    expect(error.code).toBe("CONTROL_INVALID_ANSWER");
  });
});

describe("a Server-Sent Events frame", () => {
  it("reads id, event and multi-line data, and skips comments", () => {
    expect(parseFrame("id: 7\nevent: status\ndata: a\ndata: b")).toEqual({ id: "7", event: "status", data: "a\nb" });
    expect(parseFrame(": keep-alive")).toBeUndefined();
    expect(parseFrame("data:x")).toEqual({ event: "message", data: "x" });
  });
});
