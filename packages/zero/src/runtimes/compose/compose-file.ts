import { isAbsolute, join } from "node:path";
import { stringify } from "yaml";
import type { Project } from "../../config/project.js";
import { isSecretName } from "../../config/mask.js";
import { ZeroError } from "../../errors/zero-error.js";
import { interpolate } from "../../stack/interpolate.js";
import type { StackFile } from "../../stack/load.js";
import { stackSchema, type Healthcheck, type Service } from "../../stack/schema.js";

/** Official images by default; `.env` (or the CI's stand-ins) may point elsewhere. */
export const DEFAULT_IMAGES = {
  POSTGRES_IMAGE: "postgres:17-bookworm",
  REDIS_IMAGE: "redis:7-bookworm",
  NODE_IMAGE: "node:22-bookworm-slim",
} as const;

const DOCKERFILE = "infrastructure/docker/Dockerfile";
const LIMITS = { postgres: ["1g", 1], redis: ["256m", 0.5], node: ["1g", 1] } as const;
const HEADER = [
  "Generated from stack.yaml by `zero export compose` (make compose-file): do not edit by hand.",
  "Plain `docker compose up` works after `make secrets` has written .zero/secrets/ (docs/runtimes.md);",
  "`make dev runtime=compose` generates its own copy for the chosen profile and runs that.",
].map((line) => `# ${line}`).join("\n");

/**
 * How values reach the file. The committed template leaves ${VAR:-default} for Compose to fill in and
 * lists every profile; a run's file has every value filled in by zero (so .env.<profile>, flags and
 * isolated profiles mean the same as in native) and only the chosen profile's services.
 */
interface Mode {
  template: boolean;
  /** Where a path of the repository is, as the file should name it. */
  path: (relative: string) => string;
  /** A variable's value, or its reference in the template. */
  variable: (name: keyof typeof DEFAULT_IMAGES) => string;
  secretsDir: string;
}

/** A service's strings as Compose should see them. */
interface Prepared {
  service: Service;
  env: Record<string, string>;
  command: string[] | undefined;
  hostPorts: Record<string, string>;
  /** Containers listen on the stack.yaml defaults; only the published host port varies. */
  containerPorts: Record<string, number>;
}

/** The committed docker-compose.yml: every service and profile, variables left to Compose. */
export function composeTemplate(file: StackFile): string {
  const defaults = servicesWithDefaults(file);
  const raw = rawServices(file);
  const prepared = Object.values(defaults).map((service): Prepared => {
    const definition = raw[service.name]!;
    return {
      service,
      env: { ...definition.env, ...definition.compose?.env },
      command: definition.compose?.command ?? definition.command,
      hostPorts: Object.fromEntries(Object.entries(definition.ports ?? {}).map(([name, value]) => [name, String(value)])),
      containerPorts: service.ports,
    };
  });
  const mode: Mode = {
    template: true,
    path: (relative) => (relative === "." ? "." : `./${relative}`),
    variable: (name) => `\${${name}:-${DEFAULT_IMAGES[name]}}`,
    secretsDir: "${ZERO_SECRETS_DIR:-./.zero/secrets}",
  };
  return `${HEADER}\n${stringify(composeDocument(file, prepared, mode), { lineWidth: 0 })}`;
}

/** The file a compose run uses: the project's profile, every value resolved (and `$` escaped). */
export function composeForRun(project: Project, secretsDir: string): string {
  const defaults = servicesWithDefaults(project.stackFile);
  const prepared = Object.values(project.stack.services).map((service): Prepared => ({
    service,
    env: escapeAll({ ...service.env, ...service.compose?.env }),
    command: (service.compose?.command ?? service.command)?.map(escape),
    hostPorts: Object.fromEntries(Object.entries(service.ports).map(([name, port]) => [name, String(port)])),
    containerPorts: defaults[service.name]!.ports,
  }));
  const mode: Mode = {
    template: false,
    path: (relative) => (isAbsolute(relative) ? relative : join(project.root, relative)),
    variable: (name) => escape(project.variables.values[name] || DEFAULT_IMAGES[name]),
    secretsDir,
  };
  return `${HEADER}\n${stringify(composeDocument(project.stackFile, prepared, mode), { lineWidth: 0 })}`;
}

/** The values of the secrets a run mounts, by secret name (e.g. postgres_password). */
export function composeSecretValues(project: Project): Record<string, string> {
  const values: Record<string, string> = {};
  for (const service of Object.values(project.stack.services)) {
    for (const [key, value] of Object.entries(service.env)) if (isSecretVariable(key)) values[secretName(key)] = value;
  }
  return values;
}

function composeDocument(file: StackFile, prepared: Prepared[], mode: Mode) {
  const labels = (service?: string) => ({ "dev.zero.stack": file.name, ...(service ? { "dev.zero.service": service } : {}) });
  const declared = new Set(prepared.flatMap(({ env }) => Object.keys(env).filter(isSecretVariable).map(secretName)));
  const rawEnv = rawServices(file);
  const services: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};

  for (const item of prepared) {
    const { service } = item;
    const raw = rawEnv[service.name]!;
    assertNoInlineSecrets(service.name, { ...raw.env, ...raw.compose?.env });
    const secrets = new Set<string>(service.compose?.secrets ?? []);
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(item.env)) {
      if (isSecretVariable(key)) {
        secrets.add(secretName(key));
        environment[`${key}_FILE`] = `/run/secrets/${secretName(key)}`;
      } else {
        environment[key] = value;
      }
    }
    for (const name of secrets) {
      if (!declared.has(name)) {
        throw new ZeroError("ZERO_STACK_INVALID", `services.${service.name}.compose.secrets names "${name}", which no service defines.`, {
          next: `Use one of: ${[...declared].join(", ")} (the lower-cased name of a *PASSWORD* variable in some service's env).`,
        });
      }
    }
    const [memory, cpus] = LIMITS[service.kind];
    const kind = byKind(item, mode, file.name);
    if (kind.volume) volumes[kind.volume.name] = { labels: labels() };
    services[service.name] = {
      ...kind.image,
      ...(mode.template ? { profiles: service.profiles } : {}),
      ...(kind.user ? { user: kind.user } : {}),
      ...(kind.command ? { command: kind.command } : {}),
      ...(kind.workingDir ? { working_dir: kind.workingDir } : {}),
      environment,
      ...(secrets.size > 0 ? { secrets: [...secrets].sort() } : {}),
      ports: Object.entries(item.hostPorts).map(([name, host]) => `127.0.0.1:${host}:${item.containerPorts[name]}`),
      volumes: [...(kind.volume ? [`${kind.volume.name}:${kind.volume.path}`] : []), ...kind.mounts],
      ...(Object.keys(service.depends_on).length > 0
        ? {
            depends_on: Object.fromEntries(
              Object.entries(service.depends_on).map(([name, condition]) => [
                name,
                { condition: condition === "healthy" ? "service_healthy" : "service_started" },
              ]),
            ),
          }
        : {}),
      ...(service.healthcheck ? { healthcheck: healthcheck(service.healthcheck, item.containerPorts) } : {}),
      restart: service.restart,
      mem_limit: service.compose?.memory ?? memory,
      cpus: service.compose?.cpus ?? cpus,
      networks: ["zero"],
      labels: labels(service.name),
    };
  }
  return {
    services,
    networks: { zero: { labels: labels() } },
    volumes,
    secrets: Object.fromEntries([...declared].sort().map((name) => [name, { file: `${mode.secretsDir}/${name}` }])),
  };
}

/** What differs by kind: image or build, user, command, data volume, source mounts. */
function byKind({ service, command }: Prepared, mode: Mode, stackName: string) {
  switch (service.kind) {
    case "postgres":
      return {
        image: { image: mode.variable("POSTGRES_IMAGE") },
        volume: { name: `${service.name}-data`, path: "/var/lib/postgresql/data" },
        mounts: [],
      };
    case "redis":
      // The password reaches redis-server through a config file, never its command line (ps would show it).
      return {
        image: { image: mode.variable("REDIS_IMAGE") },
        user: "redis",
        command: [
          "sh",
          "-c",
          'umask 077 && printf "requirepass %s\\n" "$$(cat "$$REDIS_PASSWORD_FILE")" > /tmp/redis.conf && exec redis-server /tmp/redis.conf --appendonly yes --appendfsync everysec',
        ],
        volume: { name: `${service.name}-data`, path: "/data" },
        mounts: [],
      };
    case "node": {
      const settings = service.compose;
      const cwd = service.cwd ?? ".";
      const writable = [...new Set([`${cwd}/node_modules`, ...(settings?.writable ?? [])])];
      return {
        image: {
          build: {
            context: mode.path("."),
            dockerfile: DOCKERFILE,
            target: settings?.target ?? `${service.name}-dev`,
            args: { NODE_IMAGE: mode.variable("NODE_IMAGE") },
          },
          image: `${stackName}-${service.name}:dev`,
        },
        command,
        workingDir: `/app/${cwd}`,
        mounts: [
          ...(settings?.mounts ?? [cwd]).map((mount) => {
            const [path, flags] = mount.split(":");
            return `${mode.path(path!)}:/app/${path}${flags ? `:${flags}` : ""}`;
          }),
          // Anonymous volumes: the container's node_modules and build output stay out of the source mount.
          ...writable.map((path) => `/app/${path}`),
        ],
      };
    }
  }
}

/** The same gates as native, run inside the container (Compose's depends_on waits on them). */
function healthcheck(check: Healthcheck, ports: Record<string, number>) {
  const timing = { interval: "2s", timeout: "3s", retries: 60, start_period: "0s" };
  switch (check.type) {
    case "postgres":
      // Over TCP: the official image's init server listens on the socket only, so it is never taken for ready.
      return {
        test: ["CMD-SHELL", `PGPASSWORD="$$(cat "$$POSTGRES_PASSWORD_FILE")" psql -h 127.0.0.1 -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" -tAc "select 1" >/dev/null`],
        ...timing,
      };
    case "redis":
      return { test: ["CMD-SHELL", `REDISCLI_AUTH="$$(cat "$$REDIS_PASSWORD_FILE")" redis-cli ping | grep -q PONG`], ...timing };
    case "http":
      return {
        test: ["CMD", "node", "-e", `fetch("http://127.0.0.1:${ports[check.port]}${check.path}").then((r) => process.exit(r.status < 400 ? 0 : 1), () => process.exit(1))`],
        ...timing,
      };
    case "tcp":
      return {
        test: ["CMD", "node", "-e", `require("net").connect(${ports[check.port]}, "127.0.0.1").on("connect", () => process.exit(0)).on("error", () => process.exit(1))`],
        ...timing,
      };
    case "command":
      return { test: ["CMD", ...check.command], ...timing };
  }
}

/** A Compose file must never carry a password: only *_FILE references to mounted secrets. */
function assertNoInlineSecrets(service: string, env: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(env)) {
    if (isSecretVariable(key) || value === undefined) continue;
    const secrets = [...interpolate(value, {}).used].filter(isSecretName);
    if (secrets.length > 0) {
      throw new ZeroError("ZERO_STACK_INVALID", `services.${service}.env.${key} uses ${secrets.join(", ")}, which would put a secret into the compose file.`, {
        why: "In containers, secrets are files under /run/secrets (the *_FILE convention), never values in docker-compose.yml.",
        next: `Override it under services.${service}.compose.env without the secret and pass the secret as a *_FILE variable (see the api service in stack.yaml).`,
      });
    }
  }
}

interface RawService {
  env?: Record<string, string>;
  command?: string[];
  ports?: Record<string, unknown>;
  compose?: { env?: Record<string, string>; command?: string[] };
}

function rawServices(file: StackFile): Record<string, RawService> {
  return (file.raw.services ?? {}) as Record<string, RawService>;
}

/** Every service with variables at their stack.yaml defaults (what a container listens on). */
function servicesWithDefaults(file: StackFile): Record<string, Service> {
  const parsed = stackSchema.parse(interpolate(file.raw, {}).value);
  return Object.fromEntries(Object.entries(parsed.services).map(([name, definition]) => [name, { ...definition, name }]));
}

/** A variable holding a secret itself (POSTGRES_PASSWORD), not the path of one (POSTGRES_PASSWORD_FILE). */
function isSecretVariable(name: string): boolean {
  return isSecretName(name) && !name.endsWith("_FILE");
}

function secretName(variable: string): string {
  return variable.toLowerCase();
}

/** Compose reads `$$` as a literal `$`; values zero already resolved must not be interpolated again. */
function escape(value: string): string {
  return value.replaceAll("$", () => "$$");
}

function escapeAll(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, escape(value)]));
}
