import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { DockerClient } from "../../docker/docker-client.js";
import type { LogLine, LogQuery } from "../runtime.js";
import type { Container } from "./containers.js";

/** zero's own lines about a service under Compose (watch reloads, builds, followed restarts), written by the control server. */
export function zeroNotesFile(home: string, service: string): string {
  return join(home, "logs", `${service}.zero.log`);
}

/** The containers' logs so far, merged in time order (docker logs --timestamps), with zero's notes when `home` is given. */
export async function readContainerLogs(docker: DockerClient, containers: Container[], query: LogQuery, home?: string): Promise<LogLine[]> {
  const all = await Promise.all(
    containers.map(async (container) => {
      const result = await docker.logs(container.id, { timestamps: true, tail: query.tail, since: query.since });
      const notes = home && existsSync(zeroNotesFile(home, container.service)) ? readFileSync(zeroNotesFile(home, container.service), "utf8").split("\n") : [];
      const sinceMs = query.since ? Date.parse(query.since) : Number.NaN;
      const since = Number.isNaN(sinceMs) ? "" : new Date(sinceMs).toISOString();
      return [...result.stdout.split("\n"), ...result.stderr.split("\n"), ...notes]
        .filter(Boolean)
        .map((text) => toLogLine(container.service, text))
        .filter((line) => line.ts >= since);
    }),
  );
  const lines = all.flat().sort((a, b) => a.ts.localeCompare(b.ts));
  return query.tail === undefined ? lines : lines.slice(-query.tail);
}

/** History, then new lines from every container as they come, until the signal aborts. */
export async function followContainerLogs(docker: DockerClient, containers: Container[], query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal, home?: string) {
  for (const line of await readContainerLogs(docker, containers, query, home)) onLine(line);
  await Promise.all(
    containers.map(async (container) => {
      const followed = docker.followLogs(container.id, { tail: 0 }, signal);
      const lines = createInterface({ input: followed.output });
      lines.on("line", (text) => onLine(toLogLine(container.service, text)));
      await followed.done;
    }),
  );
}

/** "2026-11-23T19:24:50.151234567Z text" → { ts, service, line }. */
export function toLogLine(service: string, text: string): LogLine {
  const space = text.indexOf(" ");
  const stamp = space > 0 ? text.slice(0, space) : "";
  const ts = Number.isNaN(Date.parse(stamp)) ? new Date().toISOString() : new Date(stamp).toISOString();
  return { ts, service, line: Number.isNaN(Date.parse(stamp)) ? text : text.slice(space + 1) };
}
