import { createServer } from "node:net";
import { ZeroError } from "../errors/zero-error.js";
import type { Service } from "../stack/schema.js";
import { findPortHolder } from "./holder.js";

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

/** Who holds a taken port, in the words of every port check: "held by pid N: <command>" (or why it cannot be told). */
export async function describeHolder(port: number, ownPids: Set<number> = new Set()): Promise<string> {
  const holder = await findPortHolder(port);
  if (!holder) return "held by a process zero cannot see (another user's?)";
  if (ownPids.has(holder.pid)) return `held by this project's own stack, already running (pid ${holder.pid})`;
  return `held by pid ${holder.pid}: ${holder.command.slice(0, 160)}`;
}

/**
 * One service's ports that another process holds, described for its record and log ("port 3001 (http) is held by
 * pid N: <command>"); undefined when all are free. A restart checks this before it launches a process bound to fail.
 */
export async function takenPorts(service: Service): Promise<string | undefined> {
  const busy = await busyPorts(portClaims({ [service.name]: service }));
  if (busy.length === 0) return undefined;
  const lines = await Promise.all(busy.map(async (claim) => `port ${claim.port} (${claim.name}) is ${await describeHolder(claim.port)}`));
  return lines.join("; ");
}

/** Fails with ZERO_PORT_IN_USE naming each taken port, who wanted it, and who holds it. */
export async function assertPortsFree(
  services: Record<string, Service>,
  variableFor: (claim: PortClaim) => string | undefined,
  ownPids: Set<number> = new Set(),
): Promise<void> {
  const busy = await busyPorts(portClaims(services));
  if (busy.length === 0) return;
  const lines = await Promise.all(
    busy.map(async (claim) => `- port ${claim.port}: wanted by ${claim.service} (${claim.name}), ${await describeHolder(claim.port, ownPids)}`),
  );
  const variables = busy.map(variableFor).filter(Boolean);
  throw new ZeroError("ZERO_PORT_IN_USE", `Port${busy.length > 1 ? "s" : ""} ${busy.map((b) => b.port).join(", ")} already in use; nothing was started.`, {
    details: lines,
    next: [
      "Stop the process holding the port",
      variables.length > 0 ? `or set ${variables.map((v) => `${v}=<free port>`).join(", ")} in .env` : undefined,
      "or run `make dev auto_ports=1` to pick free ports and save them in .env.",
    ].filter(Boolean).join(", "),
  });
}
