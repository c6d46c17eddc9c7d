import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { tailLines } from "./supervisor/log-file.js";
import type { StackState } from "./supervisor/state-file.js";
import type { LogLine, LogQuery } from "../runtime.js";
import { controlClient } from "./supervisor-control.js";

/** Follows the supervisor's live log stream until the signal aborts (or the supervisor goes away). */
export function streamLogs(state: StackState, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void> {
  const { service, since } = query;
  return controlClient(state, { streams: true }).followLogs({ service, since, tail: query.tail ?? 100 }, (entry) => onLine(entry), signal);
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
