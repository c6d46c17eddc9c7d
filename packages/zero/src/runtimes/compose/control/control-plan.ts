import type { Service } from "../../../stack/schema.js";

/** Everything the compose control server needs, sent over IPC (never argv: it holds the token and secrets). */
export interface ControlPlan {
  root: string;
  home: string;
  profile: string;
  fingerprint: string;
  /** The Compose project whose containers it reports on. */
  projectName: string;
  services: Record<string, Service>;
  /** Values to mask in every log line and error it passes on. */
  secrets: string[];
  token: string;
  /** The Unix socket it listens on (bind-mounted into the app containers). */
  socketPath: string;
}

/** What the control server tells the CLI that started it. */
export type ControlMessage = { ready: true } | { ready: false; error: string };
