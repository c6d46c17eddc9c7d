import { createInterface } from "node:readline";
import { execa } from "execa";
import type { LogLine, LogQuery } from "../runtime.js";
import type { Container } from "./containers.js";
import { docker } from "./docker.js";

/** The containers' logs so far, merged in time order (docker logs --timestamps). */
export async function readContainerLogs(containers: Container[], query: LogQuery): Promise<LogLine[]> {
  const all = await Promise.all(
    containers.map(async (container) => {
      const result = await docker(["logs", ...logArgs(query), container.id]);
      return [...result.stdout.split("\n"), ...result.stderr.split("\n")].filter(Boolean).map((text) => toLogLine(container.service, text));
    }),
  );
  const lines = all.flat().sort((a, b) => a.ts.localeCompare(b.ts));
  return query.tail === undefined ? lines : lines.slice(-query.tail);
}

/** History, then new lines from every container as they come, until the signal aborts. */
export async function followContainerLogs(containers: Container[], query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal) {
  for (const line of await readContainerLogs(containers, query)) onLine(line);
  await Promise.all(
    containers.map(async (container) => {
      const child = execa("docker", ["logs", "--follow", "--timestamps", "--tail", "0", container.id], {
        reject: false,
        cancelSignal: signal,
        all: true,
      });
      const lines = createInterface({ input: child.all! });
      lines.on("line", (text) => onLine(toLogLine(container.service, text)));
      await child;
    }),
  );
}

function logArgs(query: LogQuery): string[] {
  return ["--timestamps", ...(query.tail !== undefined ? ["--tail", String(query.tail)] : []), ...(query.since ? ["--since", query.since] : [])];
}

/** "2026-11-23T19:24:50.151234567Z text" → { ts, service, line }. */
export function toLogLine(service: string, text: string): LogLine {
  const space = text.indexOf(" ");
  const stamp = space > 0 ? text.slice(0, space) : "";
  const ts = Number.isNaN(Date.parse(stamp)) ? new Date().toISOString() : new Date(stamp).toISOString();
  return { ts, service, line: Number.isNaN(Date.parse(stamp)) ? text : text.slice(space + 1) };
}
