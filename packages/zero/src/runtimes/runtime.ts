import type { LogEntry, StackService, TraceDetail, TraceList, TracesQuery } from "@zero/contracts/control";
import type { Project } from "../config/project.js";
import type { DatabaseTarget } from "../database/target.js";
import type { SnapshotCapability } from "../database/template-snapshots.js";
import type { EventSink } from "../orchestrate/events.js";
import type { StackFile } from "../stack/load.js";

/** What the control API says of a service's run (its contract, @zero/contracts/control) without stack.yaml's facts. */
export type ServiceRecord = Omit<StackService, "kind" | "description" | "dependsOn" | "urls">;

/**
 * One service as `zero status` shows it, whatever runs it: its record, named, with pid and start time only while it
 * runs. Made by statusOf (runtimes/service-status.ts) alone, so the three runtimes answer in the contract's shape.
 */
export type ServiceStatus = Omit<ServiceRecord, "pid" | "startedAt"> &
  Partial<Pick<ServiceRecord, "pid" | "startedAt">> & {
    name: string;
    /** Processes of this service still alive although the supervisor that owned them is gone. */
    orphanPids?: number[];
    /** What is wrong beyond the service itself, for the CLI to explain (lastError says it in words). */
    problem?: StatusProblem;
  };

/** A problem of the process that owns the services (native: the supervisor), typed so no one matches a message. */
export type StatusProblem =
  | { code: "supervisor-gone" }
  | { code: "supervisor-not-answering"; why: string; stoppedPid?: number };

/** Begins the lastError of every service whose supervisor lives but does not answer (`zero status` explains it). */
export const NOT_ANSWERING = "supervisor is not answering";

export interface LogQuery {
  service?: string;
  tail?: number;
  /** ISO timestamp: only lines at or after it. */
  since?: string;
  follow: boolean;
}

/** One log line: when, which service, the (masked) text. */
export type LogLine = LogEntry;

export interface UpResult {
  /** The same stack was already up: nothing was started. */
  alreadyRunning: boolean;
  services: ServiceStatus[];
  /** The process the stack lives as long as (native: the supervisor), for the registry of stacks; none for containers. */
  owner?: { pid: number; startTime: string };
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

/** What a backup says about itself (the manifest beside and inside it). */
export interface BackupManifest {
  createdAt: string;
  service: string;
  /** The runtime it was taken from (backups before this field existed came from native). */
  runtime?: string;
  pgVersion: string;
  database: string;
  migrations: string[] | null;
  sizeBytes: number;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The restored database was started and answered. */
  verified: boolean;
  /** Migrations newer than the backup. */
  pending: string[];
}

type Note = (message: string) => void;

/** One file an export writes, relative to the repository root. */
export interface GeneratedFile {
  path: string;
  text: string;
}

/** One format of `zero export <format> [--check]`. */
export interface Exporter {
  format: string;
  /** What it writes, for messages ("docker-compose.yml"). */
  description: string;
  /** The make target that regenerates it (named when it is stale). */
  make: string;
  /** The folder it owns: a file there that it no longer writes is stale. */
  folder?: string;
  files: (file: StackFile) => Promise<GeneratedFile[]>;
}

/** joined: the action arrived while the same one ran for that service, and shares its outcome (it did not run twice). */
export interface ActionOutcome {
  joined?: boolean;
}

/** Reads the traces kept by a running stack's control API. */
export interface TraceReader {
  traces(query?: TracesQuery): Promise<TraceList>;
  trace(traceId: string): Promise<TraceDetail>;
}

/**
 * What a runtime can do besides up and down. The CLI asks for one by name (`capability(runtime, "backup")`);
 * a runtime without it gives ZERO_UNSUPPORTED naming the runtimes that have it, never another runtime's behaviour.
 */
export interface RuntimeCapabilities {
  /** undefined when nothing is running. */
  status?: (project: Project) => Promise<ServiceStatus[] | undefined>;
  /** Prints history, then (when following) new lines until the signal aborts. */
  logs?: (project: Project, query: LogQuery, onLine: (line: LogLine) => void, signal: AbortSignal) => Promise<void>;
  restart?: (project: Project, service: string) => Promise<ActionOutcome | void>;
  /** The request traces the control API keeps (traces=1); undefined when nothing is running. */
  traces?: (project: Project) => TraceReader | undefined;
  stop?: (project: Project, service: string) => Promise<ActionOutcome | void>;
  start?: (project: Project, service: string) => Promise<ActionOutcome | void>;
  /** Backs up the stack's database (`zero db backup`); every runtime writes to backups/store.ts, which lists them. */
  backup?: {
    create: (project: Project, target: DatabaseTarget, note: Note) => Promise<{ file: string; manifest: BackupManifest }>;
  };
  restore?: (project: Project, target: DatabaseTarget, file: string, note: Note) => Promise<RestoreResult>;
  /** Named snapshots and restore points of the database, fast, inside its server (`zero db snapshot`, `rollback`). */
  snapshots?: SnapshotCapability;
  /**
   * Runs one service in the foreground, stopped at its first line until a debugger attaches (`zero debug`);
   * resolves with its exit code once it ends (Ctrl-C). Its dependencies are started before, with up().
   */
  debug?: (project: Project, service: string) => Promise<number>;
  /** Runs a command inside a running service; resolves with its exit code. */
  exec?: (project: Project, service: string, command: string[]) => Promise<number>;
  /** The formats `zero export` writes for this runtime (compose: docker-compose.yml; kubernetes: kustomize, helm). */
  export?: Exporter[];
}

export type CapabilityName = keyof RuntimeCapabilities;

/** One line of `zero doctor`: what was checked, whether it passed, and how to fix it. */
export interface PrerequisiteCheck {
  name: string;
  ok: boolean;
  /** false: only some runtimes need it (e.g. Docker for compose). */
  required: boolean;
  detail: string;
  fix?: string;
}

/** What `zero up` gives a runtime beyond the project. */
export interface UpOptions {
  /**
   * What was started before the project was loaded, to gain time (runtimes/native/early-supervisor.ts: the native
   * supervisor's process, booting); the runtime it belongs to takes it when it fits the project.
   */
  early?: unknown;
}

/** How a stack gets run: each runtime's folder implements it (registry: runtimes/index.ts); the CLI only calls these. */
export interface Runtime {
  readonly name: string;
  /** Container runtimes are how stacks get shared: they refuse CHANGE_ME placeholder secrets unless forced. */
  readonly refusesPlaceholderSecrets: boolean;
  /** When deleting the data (`down --volumes`) needs a confirmation first, the question to ask (a shared cluster's PVCs). */
  confirmDataRemoval?(project: Project): string | undefined;
  /** Where the stack's data is kept, for messages ("the stack's Docker volumes"). */
  dataLocation(project: Project): string;
  /**
   * Where this runtime recorded a stack it runs from this home (native: <home>/state.json), or undefined. `down` and
   * `status` work from it alone when stack.yaml or .env cannot be loaded.
   */
  recordIn?(home: string): string | undefined;
  /** Refuses (ZERO_DATABASE_UNSUPERVISED) while the service's database runs outside this runtime's control. */
  assertDatabaseSupervised?(project: Project, service: string): void;
  /** `options.early` is taken only by the runtime it belongs to; cli/main.ts stops it at the end when none took it. */
  up(project: Project, onEvent: EventSink, options?: UpOptions): Promise<UpResult>;
  down(project: Project, onEvent: EventSink, options?: DownOptions): Promise<DownResult>;
  readonly capabilities: RuntimeCapabilities;
  /** What `zero doctor` checks for this runtime beyond the common prerequisites (compose: Docker). */
  prerequisites?(): Promise<PrerequisiteCheck[]>;
}

/**
 * A running stack as its runtime's own record knows it, without the project (no stack.yaml, no .env): what
 * `zero status` and `zero down` need for a stack that runs as it was started (cli/record-path.ts).
 */
export interface RecordedStack {
  /** The services and each one's URLs (secrets masked), or undefined when the stack does not answer. */
  status(): Promise<{ services: ServiceStatus[]; urls: Record<string, Record<string, string>> } | undefined>;
  down(onEvent: EventSink): Promise<DownResult>;
  /** Where its data stays after `down`. */
  dataLocation: string;
}
