import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { controlEndpoint, controlRequest } from "../../../packages/contracts/src/control-endpoint";

// Real sockets: a TCP port (the native supervisor) and a Unix socket (the compose control server's, as mounted).
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server that answers with the path and the authorization it was given. */
async function echoServer(listen: (server: Server, ready: () => void) => void): Promise<Server> {
  const server = createServer((request, response) =>
    response.end(
      JSON.stringify({ path: request.url, authorization: request.headers.authorization, host: request.headers.host }),
    ),
  );
  servers.push(server);
  await new Promise<void>((resolve) => listen(server, resolve));
  return server;
}

async function body(endpoint: NonNullable<ReturnType<typeof controlEndpoint>>, path: string) {
  let text = "";
  for await (const chunk of await controlRequest(endpoint, { path })) text += chunk;
  return JSON.parse(text) as { path: string; authorization: string; host: string };
}

describe("the control API's endpoint from the environment", () => {
  it("reaches a 127.0.0.1 port with the token from ZERO_CONTROL_TOKEN", async () => {
    const server = await echoServer((s, ready) => s.listen(0, "127.0.0.1", ready));
    const port = (server.address() as AddressInfo).port;
    const endpoint = controlEndpoint({
      ZERO_CONTROL_URL: `http://127.0.0.1:${port}`,
      ZERO_CONTROL_TOKEN: "native-token",
    })!;
    expect(await body(endpoint, "/v1/status?fresh=1")).toEqual({
      path: "/v1/status?fresh=1",
      authorization: "Bearer native-token",
      host: "localhost",
    });
  });

  it("reaches a Unix socket with the token read from ZERO_CONTROL_TOKEN_FILE at each request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-control-endpoint-"));
    try {
      const socket = join(dir, "control.sock");
      await echoServer((s, ready) => s.listen(socket, ready));
      const tokenFile = join(dir, "token");
      writeFileSync(tokenFile, "first-token\n");
      const endpoint = controlEndpoint({ ZERO_CONTROL_URL: `unix:${socket}`, ZERO_CONTROL_TOKEN_FILE: tokenFile })!;
      expect((await body(endpoint, "/v1/logs")).authorization).toBe("Bearer first-token");
      writeFileSync(tokenFile, "second-token"); // a new `zero up` while the containers kept running
      expect((await body(endpoint, "/v1/logs")).authorization).toBe("Bearer second-token");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is absent without an address or a token, and refuses other schemes", async () => {
    expect(controlEndpoint({})).toBeUndefined();
    expect(controlEndpoint({ ZERO_CONTROL_URL: "http://127.0.0.1:1" })).toBeUndefined();
    const https = controlEndpoint({ ZERO_CONTROL_URL: "https://127.0.0.1:1", ZERO_CONTROL_TOKEN: "t" })!;
    await expect(controlRequest(https, { path: "/" })).rejects.toThrow(/http: or unix:/);
  });
});
