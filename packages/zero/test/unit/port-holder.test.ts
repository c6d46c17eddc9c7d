import { createServer, type Server } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { findPortHolder, findWithLsof } from "../../src/ports/holder.js";
import { freePort } from "../helpers/cli.js";

// Both ways zero names who holds a port, against a real listener: /proc on Linux, lsof (macOS's way) everywhere.
describe("who holds a port", () => {
  const servers: Server[] = [];
  afterAll(() => {
    for (const server of servers) server.close();
  });

  const listen = async () => {
    const port = await freePort();
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return port;
  };

  it("finds this process with lsof, the macOS code path", async () => {
    const port = await listen();
    expect((await findWithLsof(port))?.pid).toBe(process.pid);
  });

  it("finds this process on this platform, and nobody on a free port", async () => {
    const port = await listen();
    expect((await findPortHolder(port))?.pid).toBe(process.pid);
    expect(await findWithLsof(await freePort())).toBeUndefined();
  });
});
