import { z } from "zod";
import { kindNames } from "../kinds/index.js";

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, "use lower-case letters, digits and dashes");
const port = z.coerce.number().int().min(1).max(65535);

// Probe timing: each attempt has its own timeout; the orchestrator owns the overall deadline.
const timing = {
  interval_ms: z.number().int().positive().default(100),
  timeout_ms: z.number().int().positive().default(1000),
  restart_after: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Restart the service after this many failed health checks in a row once it has started (a liveness probe, like Kubernetes' failureThreshold; checks run every 2 s); 0 = never"),
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
  auto_seed: z
    .enum(["true", "false"])
    .optional()
    .describe(
      "Whether the app seeds a new database on its first start (the API's AUTO_SEED). When set, a new native cluster comes from zero's cache already migrated (and seeded when true)",
    ),
});

/** How a service runs in a container (compose, kubernetes), where hosts and bind addresses differ from native. */
export const containerSchema = z.strictObject({
  image: z.string().optional().describe("Image to run (required for kind image; for kind process, this or build)"),
  build: z
    .strictObject({
      context: z.string().default(".").describe("Folder sent to the build, relative to stack.yaml"),
      dockerfile: z.string().default("infrastructure/docker/Dockerfile").describe("Dockerfile, relative to stack.yaml"),
      target: z.string().optional().describe("Stage to build (default: <service>-dev)"),
    })
    .optional()
    .describe("Build the image from a Dockerfile of this repository"),
  target: z.string().optional().describe("Stage of infrastructure/docker/Dockerfile to build (default: <service>-dev); short for build.target"),
  command: z.array(z.string()).min(1).optional().describe("Command in the container (default: the service's command)"),
  entrypoint: z
    .array(z.string())
    .min(1)
    .optional()
    .describe("Replaces the image's entrypoint (e.g. a shell that reads a mounted secret into the variable a program expects)"),
  user: z.string().optional().describe("User the container runs as (default by kind, or the image's)"),
  env: z.record(z.string(), z.string()).default({}).describe("Environment overrides in the container (service host names, 0.0.0.0, *_FILE secrets)"),
  ports: z.record(name, port).default({}).describe("Port each named port listens on inside the container (default: the stack.yaml default)"),
  secrets: z.array(z.string()).default([]).describe("Secrets mounted at /run/secrets/<name> (names of other services' secret variables, lower-case)"),
  mounts: z
    .array(z.string())
    .default([])
    .describe("Folders bind-mounted for hot reload: `path[:ro]` at /app/<path>, or `path:/in/container[:ro]`"),
  writable: z.array(z.string()).default([]).describe("Folders under a mount that stay the container's own (e.g. build output)"),
  data: z.string().optional().describe("Path in the container kept in a named volume (kinds with data have their own default)"),
  memory: z.string().optional().describe("Memory limit, e.g. 512m (default by kind)"),
  cpus: z.number().positive().optional().describe("CPU limit in cores (default by kind)"),
});

export const dependencyCondition = z.enum(["started", "healthy"]);

/** `api: healthy`, or the long form that also asks to be restarted after `api` was (Compose's depends_on.restart). */
export const dependencySchema = z
  .union([
    dependencyCondition,
    z.strictObject({
      condition: dependencyCondition.default("started"),
      restart: z
        .boolean()
        .default(false)
        .describe("Restart this service after the dependency was restarted (dashboard, CLI, watch rule) and is healthy again"),
    }),
  ])
  .transform((value) => (typeof value === "string" ? { condition: value, restart: false } : value));

const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((value) => (typeof value === "string" ? [value] : value));

/** One hot-reload rule: when files matching `path` (and no `ignore`) change, do `action` (docs/stack.md#watch). */
export const watchRuleSchema = z.strictObject({
  path: globs.describe("Glob (or list of globs) of files relative to the repository root, e.g. apps/worker/src/**/*.ts"),
  ignore: globs.optional().describe("Globs of files that never trigger the rule (node_modules and .git never do)"),
  action: z
    .enum(["restart", "rebuild", "sync"])
    .describe("restart: restart the service; rebuild: run its build_command, then restart (a failed build keeps it running); sync: copy into its container (containers only)"),
  target: z.string().optional().describe("sync: the folder in the container that path's folder is copied to"),
  restart: z.boolean().optional().describe("sync: restart the container after copying"),
  exec: z.array(z.string()).min(1).optional().describe("sync: a command run in the container after copying"),
});

export const serviceSchema = z.strictObject({
  kind: z.enum(kindNames),
  description: z.string().default(""),
  profiles: z.array(name).min(1),
  cwd: z.string().optional(),
  command: z.array(z.string()).min(1).optional(),
  ports: z.record(name, port).default({}),
  env: z.record(z.string(), z.string()).default({}),
  depends_on: z.record(name, dependencySchema).default({}),
  start_early: z
    .boolean()
    .default(false)
    .describe("Natively, launch the command when the stack starts, beside its dependencies, and write `ready` to the file descriptor in ZERO_DEPENDENCIES_FD once its depends_on conditions hold: it loads what needs no dependency meanwhile and must not use them before that line (docs/stack.md#start-early)"),
  healthcheck: healthcheckSchema.optional(),
  restart: z.enum(["no", "on-failure", "always"]).default("on-failure"),
  urls: z.record(z.string(), z.string()).default({}),
  database: databaseFilesSchema.optional(),
  container: containerSchema.optional(),
  build_command: z
    .array(z.string())
    .min(1)
    .optional()
    .describe("The command that builds the service (run in cwd with its env), before a `rebuild` watch rule restarts it"),
  watch: z.array(watchRuleSchema).default([]).describe("Hot reload: what to do when which files change (docs/stack.md#watch)"),
  control: z
    .union([z.boolean(), z.enum(["read", "act"])])
    .optional()
    .describe("Natively, give the service ZERO_CONTROL_URL and a ZERO_CONTROL_TOKEN to reach the supervisor's control API: true or read (status, logs, metrics), act (also restart, stop, start services); node services always get a read one. Only the CLI's token stops the stack (docs/security.md)"),
  native: z
    .enum(["refuse", "skip"])
    .optional()
    .describe("Kind image without a command cannot run natively: refuse to start (default), or skip the service"),
});

export const profileSchema = z.strictObject({
  description: z.string(),
  /** An isolated profile ignores the developer's .env (tests must not inherit personal settings). */
  isolated: z.boolean().default(false),
  /** Throwaway data: `down` deletes the data directory (for test stacks). */
  ephemeral: z.boolean().default(false),
  /**
   * An add-on profile: joined to another (`profile=backend+monitoring`, or `monitoring=1`) it adds its services to
   * that profile's; chosen alone it adds them to this one.
   */
  adds_to: name.optional().describe("Make this an add-on: alone it runs with this profile's services; joined with + to any other, with that one's"),
  variables: z.record(z.string(), z.coerce.string()).default({}),
});

export const stackSchema = z.strictObject({
  $schema: z.string().optional(),
  name,
  profiles: z.record(name, profileSchema),
  services: z.record(name, serviceSchema),
  secrets: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
    .default([])
    .describe("Variables whose values are secrets whatever their names (SESSION_KEY, SENTRY_DSN): masked by value in every output"),
});

export type ContainerSettings = z.infer<typeof containerSchema>;
export type Healthcheck = z.infer<typeof healthcheckSchema>;
export type DependencyCondition = z.infer<typeof dependencyCondition>;
export type Dependency = z.infer<typeof dependencySchema>;
export type WatchRule = z.infer<typeof watchRuleSchema>;
export type ServiceDefinition = z.infer<typeof serviceSchema>;
export type Profile = z.infer<typeof profileSchema>;
export type StackDefinition = z.infer<typeof stackSchema>;

/** A service as the runtimes see it: its definition plus its name. */
export type Service = ServiceDefinition & { name: string };
