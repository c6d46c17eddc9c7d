import net from "node:net";

export type TcpFixtureMode = "refuse" | "hang" | "forward";

// A TCP server standing in for a dependency whose behaviour a test switches at will: "refuse" drops each
// connection, "hang" accepts and never answers, "forward" relays to the real server. Deterministic, no port races.
export interface TcpFixture {
  port: number;
  setMode(mode: TcpFixtureMode): void;
  close(): Promise<void>;
}

// Starts the fixture on a free loopback port; `target` is where "forward" relays to.
export async function startTcpFixture(mode: TcpFixtureMode, target?: { host: string; port: number }): Promise<TcpFixture> {
  const requireTarget = (next: TcpFixtureMode) => {
    if (next === "forward" && !target) throw new Error('a TCP fixture needs a target for "forward" mode');
  };
  requireTarget(mode);
  const sockets = new Set<net.Socket>();
  let current = mode;
  const server = net.createServer((client) => {
    track(sockets, client);
    if (current === "refuse") return client.destroy();
    if (current === "hang") return;
    const upstream = track(sockets, net.connect(target!.port, target!.host));
    client.pipe(upstream).pipe(client);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setMode: (next) => {
      requireTarget(next);
      current = next;
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function track(sockets: Set<net.Socket>, socket: net.Socket): net.Socket {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  return socket;
}
