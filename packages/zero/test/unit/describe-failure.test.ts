import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { httpProbe, postgresProbe, redisProbe, tcpProbe } from "../../src/health/probes.js";
import { classifyFailure, describeFailure } from "../../src/health/wait.js";

/** A port that was free a moment ago: nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("failed check reasons", () => {
  it("calls a refused connection 'service down'", async () => {
    const error = await failureOf(tcpProbe("127.0.0.1", await closedPort())(AbortSignal.timeout(1000)));
    expect(describeFailure(error)).toBe("connection refused (service down)");
  });

  it("calls an HTTP error status 'misconfigured' when the client is at fault", async () => {
    const server = createServer((socket) => socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const error = await failureOf(httpProbe(`http://127.0.0.1:${port}/health/ready`)(AbortSignal.timeout(1000)));
    server.close();
    expect(describeFailure(error)).toMatch(/^HTTP 404 from .* \(misconfigured\)$/);
  });

  it("calls a refused HTTP connection 'service down'", async () => {
    const error = await failureOf(httpProbe(`http://127.0.0.1:${await closedPort()}/`)(AbortSignal.timeout(1000)));
    expect(describeFailure(error)).toBe("connection refused (service down)");
  });

  it("calls an HTTP server that never answers 'timed out (network)', within the probe's timeout", async () => {
    const server = createServer(() => {}); // accepts, then stays silent
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const began = Date.now();
    const error = await failureOf(httpProbe(`http://127.0.0.1:${port}/`)(AbortSignal.timeout(200)));
    const took = Date.now() - began;
    server.close();
    expect(describeFailure(error)).toBe("timed out (network)");
    expect(took).toBeLessThan(5000); // the probe gave up on its signal rather than hanging
  });

  it.each(["200 OK", "302 Found"])("passes an HTTP check answered %s", async (status) => {
    const server = createServer((socket) => socket.end(`HTTP/1.1 ${status}\r\nlocation: /x\r\ncontent-length: 2\r\n\r\nok`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await expect(httpProbe(`http://127.0.0.1:${port}/`)(AbortSignal.timeout(1000))).resolves.toBeUndefined();
    server.close();
  });

  it("calls a server that closes before answering (Docker's proxy while the container starts) 'service down'", async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const postgres = await failureOf(postgresProbe(`postgres://app:x@127.0.0.1:${port}/app`)(AbortSignal.timeout(2000)));
    const redis = await failureOf(redisProbe(`redis://:x@127.0.0.1:${port}`)(AbortSignal.timeout(2000)));
    server.close();
    expect([describeFailure(postgres), describeFailure(redis)]).toEqual(["connection reset (service down)", "connection reset (service down)"]);
  });

  it("calls a timeout 'network'", () => {
    expect(describeFailure(new DOMException("The operation timed out.", "TimeoutError"))).toBe("timed out (network)");
  });

  it.each([
    [{ code: "28P01", message: 'password authentication failed for user "app"' }, "misconfigured"],
    [{ code: "3D000", message: 'database "nope" does not exist' }, "misconfigured"],
    [{ message: "WRONGPASS invalid username-password pair or user is disabled." }, "misconfigured"],
    [{ code: "EHOSTUNREACH", message: "connect EHOSTUNREACH 10.0.0.1:5432" }, "network"],
    [{ code: "57P03", message: "the database system is starting up" }, "service down"],
  ])("classifies %o as %s", (shape, kind) => {
    expect(classifyFailure(Object.assign(new Error(shape.message), shape))).toBe(kind);
  });

  it("adds no label when the error says nothing either way", () => {
    expect(describeFailure(new Error("unexpected PING answer OK"))).toBe("unexpected PING answer OK");
  });
});
