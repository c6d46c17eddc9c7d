import type { Service } from "../../../stack/schema.js";

/** Everything the detached supervisor needs, sent over IPC (never argv: it holds secrets). */
export interface Plan {
  root: string;
  home: string;
  profile: string;
  fingerprint: string;
  services: Record<string, Service>;
  /** Values to mask in every log line the supervisor writes. */
  secrets: string[];
  deadlineMs: number;
  /** The database to prepare (branch state, restore point, migrations) before what depends on it starts. */
  database?: import("../../../database/startup.js").StartupDatabase;
}

/** Messages from the supervisor to the CLI that started it. */
export type SupervisorMessage =
  | { type: "event"; event: import("../../../orchestrate/events.js").StackEvent }
  | { type: "ready" }
  | { type: "failed"; error: { code: string; what: string; why: string; next: string; details: string[] } };
