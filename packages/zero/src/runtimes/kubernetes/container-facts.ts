import { isSecretName } from "../../config/mask.js";
import { ZeroError } from "../../errors/zero-error.js";
import { interpolate } from "../../stack/interpolate.js";
import type { StackFile } from "../../stack/load.js";
import { stackSchema, type Healthcheck, type Service } from "../../stack/schema.js";

/**
 * What Kubernetes needs to know about one service's container, in runtime-neutral terms. This is the one
 * place the kubernetes generator reads service facts from, so it can move onto the shared container layer
 * (packages/zero/src/containers, issue 13) by changing this file only.
 */
export interface ContainerFacts {
  name: string;
  kind: Service["kind"];
  service: Service;
  /** Image reference without tag for built images (api, web); a full reference for official ones. */
  image: { reference: string; built: boolean; target?: string };
  /** Ports the container listens on (the stack.yaml defaults), by name. */
  ports: { name: string; port: number }[];
  /** Non-secret environment, as the container sees it. */
  env: Record<string, string>;
  /** Keys of the stack's Secret mounted as files under /run/secrets (env has the matching *_FILE variables). */
  secretFiles: string[];
  command?: string[];
  /** The image's unprivileged user. */
  uid: number;
  /** Where the data volume is mounted (stateful kinds). */
  dataPath?: string;
  /** Folders the process writes outside its data: emptyDir mounts, so the root filesystem can stay read-only. */
  scratch: string[];
  limits: { memoryMi: number; cpuMilli: number };
  healthcheck?: Healthcheck;
}

export const SECRETS_DIR = "/run/secrets";
export const DEFAULT_IMAGES = { postgres: "postgres:17-bookworm", redis: "redis:7-bookworm" } as const;
const LIMITS = { postgres: { memoryMi: 1024, cpuMilli: 1000 }, redis: { memoryMi: 256, cpuMilli: 500 }, node: { memoryMi: 1024, cpuMilli: 1000 } };

/** The facts of every service of the stack file, with variables at their stack.yaml defaults (what a container sees). */
export function containerFacts(file: StackFile): ContainerFacts[] {
  const parsed = stackSchema.parse(interpolate(file.raw, {}).value);
  const raw = (file.raw.services ?? {}) as Record<string, { env?: Record<string, string>; compose?: { env?: Record<string, string> } }>;
  return Object.entries(parsed.services).map(([name, definition]) => {
    const service: Service = { ...definition, name };
    const rawEnv = { ...raw[name]?.env, ...raw[name]?.compose?.env };
    const env: Record<string, string> = {};
    const secretFiles = new Set(service.compose?.secrets ?? []);
    for (const [key, value] of Object.entries({ ...service.env, ...service.compose?.env })) {
      if (isSecretVariable(key)) {
        secretFiles.add(secretFile(key));
        env[`${key}_FILE`] = `${SECRETS_DIR}/${secretFile(key)}`;
      } else if (usesSecret(rawEnv[key])) {
        throw inlineSecret(name, key);
      } else {
        env[key] = value;
      }
    }
    return { name, kind: service.kind, service, ...byKind(service, file.name), env, secretFiles: [...secretFiles].sort(), limits: limitsOf(service), healthcheck: service.healthcheck };
  });
}

function byKind(service: Service, stackName: string) {
  const ports = Object.entries(service.ports).map(([name, port]) => ({ name, port }));
  switch (service.kind) {
    case "postgres":
      return {
        image: { reference: DEFAULT_IMAGES.postgres, built: false },
        ports,
        uid: 999,
        dataPath: "/var/lib/postgresql/data",
        scratch: ["/var/run/postgresql", "/tmp"],
      };
    case "redis":
      // The password reaches redis-server through a config file in /tmp, never its command line.
      return {
        image: { reference: DEFAULT_IMAGES.redis, built: false },
        ports,
        uid: 999,
        command: ["sh", "-c", `umask 077 && printf "requirepass %s\\n" "$(cat "$REDIS_PASSWORD_FILE")" > /tmp/redis.conf && exec redis-server /tmp/redis.conf --appendonly yes --appendfsync everysec`],
        dataPath: "/data",
        scratch: ["/tmp"],
      };
    case "node":
      // Production image stages (infrastructure/docker/Dockerfile) run without an inspector: no debug port.
      return {
        image: { reference: `${stackName}-${service.name}`, built: true, target: service.name },
        ports: ports.filter(({ name }) => name !== "debug"),
        uid: 1000,
        scratch: ["/tmp"],
      };
  }
}

/** The compose settings' memory (e.g. 512m, 1g) and cpus, or the kind's defaults. */
function limitsOf(service: Service) {
  const defaults = LIMITS[service.kind];
  const memory = service.compose?.memory?.match(/^(\d+)([mg])$/i);
  return {
    memoryMi: memory ? Number(memory[1]) * (memory[2]!.toLowerCase() === "g" ? 1024 : 1) : defaults.memoryMi,
    cpuMilli: service.compose?.cpus ? Math.round(service.compose.cpus * 1000) : defaults.cpuMilli,
  };
}

/** A variable holding a secret itself (POSTGRES_PASSWORD), not the path of one (POSTGRES_PASSWORD_FILE). */
export function isSecretVariable(name: string): boolean {
  return isSecretName(name) && !name.endsWith("_FILE");
}

/** The Secret key (and file name) of a secret variable: POSTGRES_PASSWORD → postgres_password. */
export function secretFile(variable: string): string {
  return variable.toLowerCase();
}

function usesSecret(value: string | undefined): boolean {
  return value !== undefined && [...interpolate(value, {}).used].some(isSecretName);
}

function inlineSecret(service: string, key: string) {
  return new ZeroError("ZERO_STACK_INVALID", `services.${service}.env.${key} uses a secret, which would put it into a Kubernetes object.`, {
    why: "In Kubernetes, secrets are files from a Secret mounted under /run/secrets (the *_FILE convention), never values in a manifest.",
    next: `Override it under services.${service}.compose.env without the secret and pass the secret as a *_FILE variable (see the api service in stack.yaml).`,
  });
}
