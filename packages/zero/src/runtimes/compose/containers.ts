import type { DockerClient, InspectedContainer } from "../../docker/docker-client.js";
import type { ServiceRecord } from "../runtime.js";

/** What `docker inspect` tells about one of the project's containers. */
export interface Container {
  id: string;
  service: string;
  status: InspectedContainer["State"]["Status"];
  exitCode: number;
  startedAt: string;
  /** The container's main process as the host sees it (0 when it is not running). */
  pid: number;
  restarts: number;
  /** Unnamed volumes (the container's node_modules and build output): `compose down` would leave them behind. */
  anonymousVolumes: string[];
  health?: { status: "starting" | "healthy" | "unhealthy"; lastOutput?: string; lastCheckMs?: number; lastCheckAt?: string };
}

/** Every container of a Compose project (running or not), found by Compose's own project label. */
export async function projectContainers(docker: DockerClient, project: string): Promise<Container[]> {
  const ids = await docker.projectContainerIds(project);
  if (ids.length === 0) return [];
  const inspected = await docker.inspect(ids);
  if (!inspected) return []; // removed in between
  return inspected.map((item) => {
    const last = item.State.Health?.Log?.at(-1);
    return {
      id: item.Id,
      service: item.Config.Labels["com.docker.compose.service"] ?? "",
      status: item.State.Status,
      exitCode: item.State.ExitCode,
      startedAt: item.State.StartedAt,
      pid: item.State.Pid,
      restarts: item.RestartCount,
      anonymousVolumes: item.Mounts.filter((m) => m.Type === "volume" && /^[0-9a-f]{64}$/.test(m.Name ?? "")).map((m) => m.Name!),
      health: item.State.Health && {
        status: item.State.Health.Status,
        lastOutput: last?.Output.trim(),
        lastCheckMs: last ? Date.parse(last.End) - Date.parse(last.Start) : undefined,
        lastCheckAt: last ? new Date(last.End).toISOString() : undefined,
      },
    };
  });
}

/** CPU (% of one core) and memory of running containers, by id, from one `docker stats` sample. */
export async function containerUsage(docker: DockerClient, ids: string[]): Promise<Map<string, { cpu: number; memoryBytes: number }>> {
  const usage = new Map<string, { cpu: number; memoryBytes: number }>();
  if (ids.length === 0) return usage;
  for (const { id, cpu, memory } of await docker.stats(ids)) {
    usage.set(id, { cpu: Number.parseFloat(cpu), memoryBytes: Math.round(parseSize(memory.split("/")[0]!.trim())) });
  }
  return usage;
}

/** A container as the contract records a service (health from Docker's healthcheck, until checked from the host). */
export function containerRecord(container: Container, ports: Record<string, number>): ServiceRecord {
  const state: ServiceRecord["state"] =
    container.status === "running" ? "running"
    : container.status === "restarting" ? "restarting"
    : container.status === "exited" || container.status === "dead" ? (container.exitCode === 0 ? "stopped" : "failed")
    : "stopped";
  const health = container.health?.status;
  return {
    state,
    health: state !== "running" ? "unknown" : health === "healthy" ? "healthy" : health === "unhealthy" ? "unhealthy" : "unknown",
    pid: container.pid,
    startedAt: container.startedAt,
    restarts: container.restarts,
    ports,
    lastError: state === "failed" ? `exited with code ${container.exitCode}` : health === "unhealthy" ? container.health?.lastOutput || "health check failing" : undefined,
    lastCheckMs: container.health?.lastCheckMs,
    lastCheckAt: container.health?.lastCheckAt,
  };
}

/** "12.5MiB" → bytes (docker stats uses binary units, sometimes decimal ones). */
export function parseSize(text: string): number {
  const match = /^([\d.]+)\s*([KMGT]?i?B)$/i.exec(text);
  if (!match) return Number.NaN;
  const units: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };
  return Number(match[1]) * (units[match[2]!.toUpperCase()] ?? Number.NaN);
}
