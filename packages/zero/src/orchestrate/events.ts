import type { DependencyCondition } from "../stack/schema.js";

/** What happens while a stack starts or stops; printed by the CLI, relayed by runtimes. */
export type StackEvent =
  | { type: "starting"; service: string }
  /** A start_early service's process launched, before its dependencies are met ("starting" follows when they are). */
  | { type: "spawned"; service: string }
  | { type: "waiting"; service: string; on: string; condition: DependencyCondition; reason: string; attempt: number }
  | { type: "probe-failed"; service: string; reason: string; attempt: number }
  | { type: "started"; service: string; ms: number }
  | { type: "healthy"; service: string; ms: number }
  | { type: "failed"; service: string; phase: Phase; reason: string }
  | { type: "restarting"; service: string; reason: string; delayMs: number }
  | { type: "stopping"; service: string }
  | { type: "stopped"; service: string; ms: number }
  | { type: "note"; message: string };

/** Where in its life a service failed. */
export type Phase = "prepare" | "start" | "health" | "stop";

export type EventSink = (event: StackEvent) => void;
