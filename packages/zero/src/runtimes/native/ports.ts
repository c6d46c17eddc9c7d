import { createServer } from "node:net";
import type { Service } from "../../stack/schema.js";

export interface PortClaim {
  service: string;
  name: string;
  port: number;
}

/** Every port the services will listen on. */
export function portClaims(services: Record<string, Service>): PortClaim[] {
  return Object.values(services).flatMap((service) =>
    Object.entries(service.ports).map(([name, port]) => ({ service: service.name, name, port })),
  );
}

/** Whether something already listens on 127.0.0.1:port (tried by binding, as the service would). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The claims whose port is taken. */
export async function busyPorts(claims: PortClaim[]): Promise<PortClaim[]> {
  const free = await Promise.all(claims.map((claim) => isPortFree(claim.port)));
  return claims.filter((_, index) => !free[index]);
}
