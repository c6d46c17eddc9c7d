import type { ChildProcess } from "node:child_process";
import type { Service } from "../../../stack/schema.js";
import type { LogFile } from "./log-file.js";
import type { LaunchSpec } from "../../../processes/process-group.js";
import type { ServiceRecord } from "./state-file.js";

/** One service under the supervisor: its definition, process, log and what we know of it. */
export interface ManagedService {
  service: Service;
  log: LogFile;
  record: ServiceRecord;
  spec?: LaunchSpec;
  child?: ChildProcess;
  /** Consecutive crashes without a stable run in between (drives the backoff). */
  crashes: number;
  /** start_early: launched (and relaunched) with the dependency gate closed until start-up opens it (dependency-gate.ts). */
  gated: boolean;
  /** Set while we stop it on purpose, so its exit is not treated as a crash. */
  stopping: boolean;
  /** Stopped on request (`zero stop`): no crash restart brings it back until a start or restart. */
  held: boolean;
  restartTimer?: NodeJS.Timeout;
  /** Fires once a run has lasted long enough to end a crash loop. */
  stableTimer?: NodeJS.Timeout;
  /** Health checks failed in a row since the last success (drives restart_after). */
  failedChecks: number;
  /** Passed a health check since its launch: liveness counts failures only then (a start is not a failure). */
  provenHealthy: boolean;
  /** Settled with the reason when the process exits on its own. */
  exited: Promise<string>;
  reportExit: (reason: string) => void;
}

export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
