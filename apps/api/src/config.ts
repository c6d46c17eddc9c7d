import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseAllowedHosts } from "@zero/contracts";
import type { ControlAddress } from "@zero/contracts/control-client";
import { controlAddress } from "@zero/contracts/control-endpoint";
import { z } from "zod";

const LOG_LEVELS = { DEBUG: "debug", INFO: "info", WARN: "warn", ERROR: "error" } as const;
const DEFAULT_CORS_ORIGINS = ["http://127.0.0.1:3000", "http://localhost:3000"];

export type LogLevel = (typeof LOG_LEVELS)[keyof typeof LOG_LEVELS];

// The whole environment contract of the API, parsed once so the rest of the code never reads process.env.
export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl: string | undefined;
  logLevel: LogLevel;
  corsOrigins: string[];
  /** Host names besides the loopback ones the API answers to (ALLOWED_HOSTS; a leading dot allows subdomains). */
  allowedHosts: string[];
  /** Migration files to apply at start and to check readiness against; unset: the API leaves the schema alone. */
  migrationsDir: string | undefined;
  /** Seed files run on the first start (when the migrations started from an empty database) if autoSeed. */
  seedsDir: string | undefined;
  autoSeed: boolean;
  /** The tenant (studio slug) of /api/v1 requests without an X-Tenant header; unset: the header is required. */
  defaultTenant: string | undefined;
  /** zero's control API when the API runs under `zero` (unset otherwise). The token never leaves the API. */
  control: ControlAddress | undefined;
  /** The dev runner's file of the migrations its last start checked (API_SCHEMA_MARKER; database/prepare.ts). */
  schemaMarker?: string;
}

// Thrown for a bad environment; names the variable, never echoes its value (it may hold a password).
export class ConfigError extends Error {
  readonly code = "API_CONFIG_INVALID";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string({ error: `is required (e.g. ${example})` }).refine(
    (value) => URL.canParse(value) && protocols.includes(new URL(value).protocol),
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")} (e.g. ${example})`,
  );

const originList = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const item of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const origin = URL.canParse(item) ? new URL(item).origin : "null";
    if (origin === "null") {
      ctx.addIssue({ code: "custom", message: `"${item}" is not an origin like http://localhost:3000` });
      return z.NEVER;
    }
    origins.push(origin);
  }
  return origins;
});

const envSchema = z.object({
  HOST: z.preprocess(emptyAsUnset, z.string().default("127.0.0.1")),
  PORT: z.preprocess(
    emptyAsUnset,
    z.coerce.number({ error: "must be a port number" }).int().min(0).max(65535).default(3001),
  ),
  DATABASE_URL: z.preprocess(emptyAsUnset, urlWithProtocols(["postgres:", "postgresql:"], "postgres://app:secret@127.0.0.1:5432/app")),
  REDIS_URL: z.preprocess(emptyAsUnset, urlWithProtocols(["redis:", "rediss:"], "redis://:secret@127.0.0.1:6379").optional()),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === "string" && value !== "" ? value.toUpperCase() : undefined),
    z.enum(Object.keys(LOG_LEVELS) as [keyof typeof LOG_LEVELS], { error: "must be one of DEBUG, INFO, WARN, ERROR" }).default("INFO"),
  ),
  CORS_ORIGIN: z.preprocess(emptyAsUnset, originList.optional()),
  ALLOWED_HOSTS: z.string().optional(),
  MIGRATIONS_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
  SEEDS_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
  AUTO_SEED: z.preprocess(emptyAsUnset, z.enum(["true", "false"], { error: "must be true or false" }).default("false")),
  DEFAULT_TENANT: z.preprocess(emptyAsUnset, z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be a tenant slug like northlight").optional()),
  // http://127.0.0.1:<port> natively; unix:/run/zero/control.sock in a container (the compose control server's socket).
  ZERO_CONTROL_URL: z.preprocess(emptyAsUnset, urlWithProtocols(["http:", "unix:"], "http://127.0.0.1:40123").optional()),
  ZERO_CONTROL_TOKEN: z.preprocess(emptyAsUnset, z.string().optional()),
  ZERO_CONTROL_TOKEN_FILE: z.preprocess(emptyAsUnset, z.string().optional()),
});

// Parse and validate the environment; throws ConfigError naming every bad variable.
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(`Invalid API environment: ${problems.join("; ")}`, { cause: result.error });
  }
  const vars = result.data;
  return {
    host: vars.HOST,
    port: vars.PORT,
    databaseUrl: withPasswordFrom(vars.DATABASE_URL, "DATABASE_PASSWORD_FILE", env),
    redisUrl: vars.REDIS_URL && withPasswordFrom(vars.REDIS_URL, "REDIS_PASSWORD_FILE", env),
    logLevel: LOG_LEVELS[vars.LOG_LEVEL],
    corsOrigins: vars.CORS_ORIGIN ?? DEFAULT_CORS_ORIGINS,
    allowedHosts: parseAllowedHosts(vars.ALLOWED_HOSTS),
    // Relative folders are relative to the API's working directory (apps/api under zero).
    migrationsDir: vars.MIGRATIONS_DIR ? resolve(vars.MIGRATIONS_DIR) : undefined,
    seedsDir: vars.SEEDS_DIR ? resolve(vars.SEEDS_DIR) : undefined,
    autoSeed: vars.AUTO_SEED === "true",
    defaultTenant: vars.DEFAULT_TENANT,
    control: controlAddress({
      ZERO_CONTROL_URL: vars.ZERO_CONTROL_URL,
      ZERO_CONTROL_TOKEN: vars.ZERO_CONTROL_TOKEN,
      ZERO_CONTROL_TOKEN_FILE: vars.ZERO_CONTROL_TOKEN_FILE,
    }),
    schemaMarker: env.API_SCHEMA_MARKER || undefined,
  };
}

// In containers passwords arrive as files (DATABASE_PASSWORD_FILE=/run/secrets/…, the convention of the
// official images) and are put into the URL here, so the URL in the environment never carries them.
function withPasswordFrom(url: string, variable: string, env: NodeJS.ProcessEnv): string {
  const path = env[variable];
  if (!path) return url;
  let password: string;
  try {
    password = readFileSync(path, "utf8").trim();
  } catch (cause) {
    throw new ConfigError(`Invalid API environment: ${variable} names ${path}, which cannot be read`, { cause });
  }
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}
