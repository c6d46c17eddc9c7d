import * as z from "zod";

// GET /api/v1/environment: the API validates and documents its answer with these schemas (OpenAPI), the
// dashboard types what it reads with the inferred types.
const nullableNumber = z.number().nullable();

export const serviceViewSchema = z.object({
  name: z.string(),
  state: z.string().describe("running, starting, restarting, stopping, stopped, failed, pending; unreachable without a supervisor"),
  health: z.enum(["healthy", "unhealthy", "unknown"]),
  latencyMs: nullableNumber.describe("Duration of the latest health check"),
  checkedAt: z.string().nullable(),
  uptimeSeconds: nullableNumber,
  cpuPercent: nullableNumber.describe("Percent of one core, whole process group"),
  memoryBytes: nullableNumber,
  restarts: nullableNumber,
  url: z.string().nullable().describe("Where the service listens (never with credentials)"),
  error: z.string().optional(),
});

export const environmentViewSchema = z.object({
  status: z.enum(["ready", "degraded"]),
  supervisor: z.object({ state: z.enum(["connected", "absent", "unreachable"]), error: z.string().optional() }),
  services: z.array(serviceViewSchema),
});

/** One service as GET /api/v1/environment shows it. */
export type ServiceView = z.infer<typeof serviceViewSchema>;
export type EnvironmentView = z.infer<typeof environmentViewSchema>;
