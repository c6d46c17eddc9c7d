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
}

/** How a stack gets run. native, compose and kubernetes implement it; the CLI only calls these. */
export interface Runtime {
  readonly name: "native" | "compose" | "kubernetes";
  up(project: Project, onEvent: EventSink): Promise<UpResult>;
  down(project: Project, onEvent: EventSink): Promise<DownResult>;
  /** undefined when nothing is running. */
  status(project: Project): Promise<ServiceStatus[] | undefined>;
}
