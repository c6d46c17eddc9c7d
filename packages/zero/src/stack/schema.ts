import { z } from "zod";

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, "use lower-case letters, digits and dashes");
const port = z.coerce.number().int().min(1).max(65535);

// Probe timing: each attempt has its own timeout; the orchestrator owns the overall deadline.
const timing = {
  interval_ms: z.number().int().positive().default(100),
  timeout_ms: z.number().int().positive().default(1000),
};

export const healthcheckSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("http"), port: z.string(), path: z.string().default("/"), ...timing }),
  z.object({ type: z.literal("tcp"), port: z.string(), ...timing }),
  z.object({ type: z.literal("postgres"), ...timing }),
  z.object({ type: z.literal("redis"), ...timing }),
  z.object({ type: z.literal("command"), command: z.array(z.string()).min(1), ...timing }),
]);

/** Where a postgres service's schema and sample data live (paths relative to stack.yaml); used by `zero db`. */
export const databaseFilesSchema = z.strictObject({
  migrations: z.string().describe("Folder of SQL migrations (node-pg-migrate), applied in file-name order"),
  seeds: z.string().optional().describe("Folder of idempotent *.sql seed files, run in file-name order"),
});

/** How a node service runs in the compose runtime, where hosts and bind addresses differ from native. */
export const composeSchema = z.strictObject({
  target: z.string().optional().describe("Stage of infrastructure/docker/Dockerfile to build (default: <service>-dev)"),
  command: z.array(z.string()).min(1).optional().describe("Command in the container (default: the service's command)"),
  env: z.record(z.string(), z.string()).default({}).describe("Environment overrides in the container (service host names, 0.0.0.0, *_FILE secrets)"),
  secrets: z.array(z.string()).default([]).describe("Secrets mounted at /run/secrets/<name> (names of other services' secret variables, lower-case)"),
  mounts: z.array(z.string()).default([]).describe("Folders bind-mounted at /app/<folder> for hot reload; add :ro for read-only"),
  writable: z.array(z.string()).default([]).describe("Folders under a mount that stay the container's own (e.g. build output)"),
  memory: z.string().optional().describe("Memory limit, e.g. 512m (default by kind)"),
  cpus: z.number().positive().optional().describe("CPU limit in cores (default by kind)"),
});

export const dependencyCondition = z.enum(["started", "healthy"]);

export const serviceSchema = z.strictObject({
  kind: z.enum(["postgres", "redis", "node"]),
  description: z.string().default(""),
  profiles: z.array(name).min(1),
  cwd: z.string().optional(),
  command: z.array(z.string()).min(1).optional(),
  ports: z.record(name, port).default({}),
  env: z.record(z.string(), z.string()).default({}),
  depends_on: z.record(name, dependencyCondition).default({}),
  healthcheck: healthcheckSchema.optional(),
  restart: z.enum(["no", "on-failure", "always"]).default("on-failure"),
  urls: z.record(z.string(), z.string()).default({}),
  database: databaseFilesSchema.optional(),
  compose: composeSchema.optional(),
});

export const profileSchema = z.strictObject({
  description: z.string(),
  /** An isolated profile ignores the developer's .env (tests must not inherit personal settings). */
  isolated: z.boolean().default(false),
  /** Throwaway data: `down` deletes the data directory (for test stacks). */
  ephemeral: z.boolean().default(false),
  variables: z.record(z.string(), z.coerce.string()).default({}),
});

export const stackSchema = z.strictObject({
  $schema: z.string().optional(),
  name,
  profiles: z.record(name, profileSchema),
  services: z.record(name, serviceSchema),
});

export type ComposeSettings = z.infer<typeof composeSchema>;
export type Healthcheck = z.infer<typeof healthcheckSchema>;
export type DependencyCondition = z.infer<typeof dependencyCondition>;
export type ServiceDefinition = z.infer<typeof serviceSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type StackDefinition = z.infer<typeof stackSchema>;

/** A service as the runtimes see it: its definition plus its name. */
export type Service = ServiceDefinition & { name: string };
