import * as z from "zod";
import { SERVICE_STATES } from "./service-states.js";

// GET /v1/status of the supervisor's control API (and each `status` event of its ?follow=1 stream). The shape is
// runtime-neutral: a runtime without process groups (compose, Kubernetes) leaves pgid and startTime out.

export const serviceStateSchema = z.enum(SERVICE_STATES);
export const dependencyConditionSchema = z.enum(["started", "healthy"]);
export const serviceHealthSchema = z.enum(["unknown", "healthy", "unhealthy"]);

export const stackServiceSchema = z.object({
  state: serviceStateSchema,
  health: serviceHealthSchema,
  /** 0 while nothing runs. */
  pid: z.number().int(),
  /** The process group (native only): the whole service, e.g. a watcher and its server. */
  pgid: z.number().int().optional(),
  /** The kernel's start time of pid (native only): tells a reused pid apart. */
  startTime: z.string().optional(),
  ports: z.record(z.string(), z.number().int()),
  restarts: z.number().int(),
  /** ISO time of the current run's start; "" before the first. */
  startedAt: z.string(),
  lastError: z.string().optional(),
  /** How long the latest health probe took, and when it ran. */
  lastCheckMs: z.number().optional(),
  lastCheckAt: z.string().optional(),
  /** Why the process last ended on its own ("exit code 1", "killed by SIGKILL", "3 failed health checks"). */
  lastExit: z.string().optional(),
  /** When the next restart attempt is due, while it waits in backoff. */
  nextRetryAt: z.string().optional(),
  /** Several crashes in a row without a stable run in between. */
  crashLooping: z.boolean().optional(),
  /** Percent of one core, summed over the service's processes; absent when not measured. */
  cpu: z.number().optional(),
  memoryBytes: z.number().optional(),
  /** What stack.yaml says about it. */
  kind: z.string(),
  description: z.string().optional(),
  /** Each service it waits for at start, and for what: started, or healthy. */
  dependsOn: z.record(z.string(), dependencyConditionSchema),
  urls: z.record(z.string(), z.string()),
});

export const stackStatusSchema = z.object({
  version: z.literal(1),
  runtime: z.string(),
  profile: z.string(),
  /** Of the configuration the stack was started with. */
  fingerprint: z.string(),
  /** The process that owns the services (native); never its token. */
  supervisor: z.object({ pid: z.number().int() }).optional(),
  services: z.record(z.string(), stackServiceSchema),
  /** When this answer was put together. */
  at: z.string(),
  /** Every secret value in lastError, lastExit and urls is masked (older supervisors answered them as they were). */
  masked: z.literal(true).optional(),
});

/** fresh=1 checks every service's health before answering; follow=1 answers with Server-Sent Events. */
export const statusQuerySchema = z.object({
  fresh: z.literal("1").optional(),
  follow: z.literal("1").optional(),
});

export type ServiceState = z.infer<typeof serviceStateSchema>;
export type DependencyCondition = z.infer<typeof dependencyConditionSchema>;
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;
/** One service in GET /v1/status. */
export type StackService = z.infer<typeof stackServiceSchema>;
/** GET /v1/status. */
export type StackStatus = z.infer<typeof stackStatusSchema>;
export type StatusQuery = z.infer<typeof statusQuerySchema>;
