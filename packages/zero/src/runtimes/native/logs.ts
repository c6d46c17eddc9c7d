import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { tailLines } from "./supervisor/log-file.js";
import type { StackState } from "./supervisor/state-file.js";
import type { LogLine, LogQuery } from "../runtime.js";

/** Follows the supervisor's live log stream (Server-Sent Events) until the signal aborts. */
export async function streamLogs(state: StackState, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal) {
  const params = new URLSearchParams({ follow: "1", tail: String(query.tail ?? 100) });
  if (query.service) params.set("service", query.service);
  if (query.since) params.set("since", query.since);
  const response = await fetch(`http://127.0.0.1:${state.supervisor.controlPort}/v1/logs?${params}`, {
    headers: { authorization: `Bearer ${state.supervisor.token}` },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`log stream: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith("data: ")) onLine(JSON.parse(event.slice(6)) as LogLine);
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/** Reads the log files directly: works when the supervisor is gone. Lines of all services merge by time. */
export async function readLogFiles(project: Project, query: LogQuery): Promise<LogLine[]> {
  const dir = join(project.home, "logs");
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".log") && file !== "supervisor.log");
  } catch {
    return [];
  }
  const services = query.service ? [`${query.service}.log`].filter((file) => files.includes(file)) : files;
  const perService = await Promise.all(
    services.map(async (file) =>
      (await tailLines(join(dir, file), query.tail ?? 100)).map((text) => {
        const space = text.indexOf(" ");
        return { ts: text.slice(0, space), service: file.slice(0, -4), line: text.slice(space + 1) };
      }),
    ),
  );
  const merged = perService.flat().filter((line) => !query.since || line.ts >= query.since);
  merged.sort((a, b) => a.ts.localeCompare(b.ts));
  return query.tail === undefined ? merged : merged.slice(-query.tail);
}
