import type { Service } from "../../../stack/schema.js";
import type { LaunchSpec } from "../../../processes/process-group.js";

/** What a native driver needs to know about the project it runs in. */
export interface KindContext {
  root: string;
  home: string;
  /** Reports something worth telling the user (e.g. "installing redis-server"). */
  note: (message: string) => void;
  signal: AbortSignal;
}

/** Turns a service definition into a process to launch, after any one-time setup (initdb, config files). */
export type PrepareService = (service: Service, context: KindContext) => Promise<LaunchSpec>;
