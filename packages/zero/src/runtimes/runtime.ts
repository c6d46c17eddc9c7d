import type { Project } from "../config/project.js";
import type { EventSink } from "../orchestrate/events.js";

/** One service as `zero status` shows it, whatever runs it. */
export interface ServiceStatus {
  name: string;
  state: "pending" | "starting" | "running" | "restarting" | "stopping" | "stopped" | "failed";
  health: "unknown" | "healthy" | "unhealthy";
  pid?: number;
  startedAt?: string;
  restarts: number;
  ports: Record<string, number>;
  lastError?: string;
  lastCheckMs?: number;
  /** Percent of one core, summed over the service's processes (when known). */
  cpu?: number;
  memoryBytes?: number;
}

export interface LogQuery {
  service?: string;
  tail?: number;
  /** ISO timestamp: only lines at or after it. */
  since?: string;
  follow: boolean;
}

/** One log line: when, which service, the (masked) text. */
export interface LogLine {
  ts: string;
  service: string;
  line: string;
}

export interface UpResult {
  /** The same stack was already up: nothing was started. */
  alreadyRunning: boolean;
  services: ServiceStatus[];
}

export interface DownResult {
  stopped: string[];
  nothingRunning: boolean;
  /** Processes left by a supervisor that had died, found from the state file and stopped. */
  orphansStopped: string[];
  /** The data was deleted too (asked for, or an ephemeral profile). */
  dataRemoved?: boolean;
}

export interface DownOptions {
  /** Also delete the data (compose: the named volumes; native: the data directory). */
  volumes?: boolean;
}

/** How a stack gets run. native, compose and kubernetes implement it; the CLI only calls these. */
export interface Runtime {
  readonly name: "native" | "compose" | "kubernetes";
  up(project: Project, onEvent: EventSink): Promise<UpResult>;
  down(project: Project, onEvent: EventSink, options?: DownOptions): Promise<DownResult>;
  /** undefined when nothing is running. */
  status(project: Project): Promise<ServiceStatus[] | undefined>;
  /** Prints history, then (when following) new lines until the signal aborts. */
  logs(project: Project, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal): Promise<void>;
}
