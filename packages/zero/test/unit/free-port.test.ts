import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, portTheKernelOffers, shareOf } from "../helpers/cli.js";

describe("the tests' freePort", () => {
  it("never hands out one port twice in a process, and each port is free to listen on", async () => {
    const ports: number[] = [];
    for (let i = 0; i < 50; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(50);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(ports[49], "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it("takes only ports of this worker's share, so another worker's picks never meet its own", async () => {
    const slot = Number(process.env.VITEST_POOL_ID ?? 0) % 16;
    for (let i = 0; i < 10; i++) expect(shareOf(await freePort())).toBe(slot);
  });

  it("every worker's share is among the ports the kernel offers (Linux offers a listen on port 0 only odd ones)", async () => {
    const shares = new Set<number>();
    for (let i = 0; i < 1_000 && shares.size < 16; i++) shares.add(shareOf(await portTheKernelOffers()));
    expect([...shares].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, share) => share));
  });
});
