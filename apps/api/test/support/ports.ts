import net from "node:net";

// A loopback port nothing listens on (the OS just handed it out and it was released), for "dependency down" cases.
export async function findClosedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The same URL (credentials, database) pointed at another port, e.g. a fixture in front of the real server.
export function replacePort(url: string, port: number): string {
  const copy = new URL(url);
  copy.port = String(port);
  return copy.toString();
}

// Host and port of a URL, for a fixture that forwards to it.
export function readAddress(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}
