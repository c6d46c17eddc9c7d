import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createControlClient } from "@zero/contracts/control-client";
import { afterEach, describe, expect, it } from "vitest";
import { jsonFetch } from "../../src/control/json-fetch.js";

// The control API's node:http fetch against a real HTTP server on loopback, which holds its answer until the test
// lets it go: `sent` must come while the server works, so that the client loads zod then and not before the request.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server that keeps each request until `answer` is called; `arrived` resolves with the first one's path. */
async function holdingServer() {
  let hold!: (response: ServerResponse) => void;
  const held = new Promise<ServerResponse>((resolve) => {
    hold = resolve;
  });
  let arrive!: (path: string) => void;
  const arrived = new Promise<string>((resolve) => {
    arrive = resolve;
  });
  const server = createServer((request, response) => {
    arrive(request.url ?? "");
    hold(response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answer = async (status: number, body: unknown) => {
    const response = await held;
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  return { url, arrived, answer };
}

describe("jsonFetch", () => {
  it("says the request was sent before the server answers, then resolves with the answer", async () => {
    const { url, arrived, answer } = await holdingServer();
    const events: string[] = [];
    const fetching = jsonFetch(
      new URL("/v1/down", url),
      { method: "POST", headers: { authorization: "Bearer t" } },
      () => events.push("sent"),
    ).then((response) => {
      events.push("answered");
      return response;
    });
    expect(await arrived).toBe("/v1/down");
    expect(events).toEqual(["sent"]); // the server holds its answer: sent came without it
    await answer(200, { stopped: ["api"] });
    const response = await fetching;
    expect(events).toEqual(["sent", "answered"]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stopped: ["api"] });
  });

  it("serves the control client: the answer parsed with the contract's schema once the request was sent", async () => {
    const { url, answer } = await holdingServer();
    const client = createControlClient({ url, token: "t", fetch: jsonFetch });
    const down = client.down();
    await answer(200, { stopped: ["web", "api"], leftBehind: [] });
    expect(await down).toEqual({ stopped: ["web", "api"], leftBehind: [] });
    const refused = await holdingServer();
    const again = createControlClient({ url: refused.url, token: "t", fetch: jsonFetch }).down();
    await refused.answer(200, { stopped: "api" });
    await expect(again).rejects.toMatchObject({ code: "CONTROL_INVALID_ANSWER" });
  });
});
