import { join } from "node:path";
import { helperRunning } from "../../processes/helper-process.js";
import { processStopped } from "../../processes/process-info.js";
import type { RecordedStack } from "../runtime.js";
import { liveStatus, toStatuses } from "./service-statuses.js";
import { stopRecordedStack } from "./stop-stack.js";
import { controlClient } from "./supervisor-control.js";
import { readStateRecord } from "./supervisor/state-record.js";

/**
 * The native stack recorded in a home, while its supervisor lives and runs (not stopped by SIGSTOP): asked through
 * its control API, stopped from the state file. Anything else is for the full path, which explains it.
 */
export function recordedStack(home: string): RecordedStack | undefined {
  const record = readStateRecord(home);
  if (!record || !helperRunning(record.supervisor) || processStopped(record.supervisor.pid)) return undefined;
  return {
    status: async () => {
      const answer = await liveStatus(controlClient(record));
      // Not answering, or a supervisor started by older code that does not mask its answer: the full path, which
      // masks with the project's secrets.
      if (!answer?.masked) return undefined;
      const urls = Object.fromEntries(Object.entries(answer.services).map(([name, service]) => [name, service.urls]));
      return { services: toStatuses(answer.services), urls };
    },
    down: (onEvent) => stopRecordedStack(home, onEvent),
    dataLocation: join(home, "data"),
  };
}
