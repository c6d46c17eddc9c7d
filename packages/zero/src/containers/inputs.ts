import type { Project } from "../config/project.js";
import { kindOf } from "../kinds/index.js";
import { interpolate } from "../stack/interpolate.js";
import type { StackFile } from "../stack/load.js";
import { stackSchema, type Service } from "../stack/schema.js";

/** A service's strings before they become a container: from stack.yaml as written, or resolved for a run. */
export interface ContainerInput {
  /** The service with values resolved (at the stack.yaml defaults for a template). */
  service: Service;
  env: Record<string, string>;
  /** What the user wrote (compose: checked for inline secrets before any value is filled in). */
  rawEnv: Record<string, string | undefined>;
  /** Variables of env that hold a secret the program reads from its environment (see ContainerSpec.secretEnv). */
  secretEnv: string[];
  command: string[] | undefined;
  hostPorts: Record<string, string>;
  /** Containers listen on the stack.yaml defaults (or container.ports); only the published host port varies. */
  containerPorts: Record<string, number>;
}

interface RawService {
  env?: Record<string, string>;
  command?: string[];
  ports?: Record<string, unknown>;
  container?: { env?: Record<string, string>; command?: string[] };
}

/** Every service of every profile, with its strings as written in stack.yaml (for a committed template). */
export function templateInputs(file: StackFile): ContainerInput[] {
  const defaults = servicesWithDefaults(file);
  const raw = rawServices(file);
  return Object.values(defaults).map((service) => {
    const definition = raw[service.name]!;
    return {
      service,
      env: { ...definition.env, ...definition.container?.env },
      rawEnv: { ...definition.env, ...definition.container?.env },
      secretEnv: Object.keys({ ...definition.env, ...definition.container?.env }).filter((key) => file.secrets.includes(key)),
      command: definition.container?.command ?? (kindOf(service).container.commandFromImage ? undefined : definition.command),
      hostPorts: Object.fromEntries(Object.entries(definition.ports ?? {}).map(([name, value]) => [name, String(value)])),
      containerPorts: { ...service.ports, ...service.container?.ports },
    };
  });
}

/** The project's profile with every value filled in (what a run starts). */
export function runInputs(project: Project): ContainerInput[] {
  const defaults = servicesWithDefaults(project.stackFile);
  const raw = rawServices(project.stackFile);
  return Object.values(project.stack.services).map((service) => {
    const definition = raw[service.name]!;
    const env = { ...service.env, ...service.container?.env };
    return {
      service,
      env,
      rawEnv: { ...definition.env, ...definition.container?.env },
      secretEnv: secretEnvOf(env, project),
      command: service.container?.command ?? (kindOf(service).container.commandFromImage ? undefined : service.command),
      hostPorts: Object.fromEntries(Object.entries(service.ports).map(([name, port]) => [name, String(port)])),
      containerPorts: { ...defaults[service.name]!.ports, ...service.container?.ports },
    };
  });
}

/** Variables declared secret, or whose value holds a secret the masker knows (a generated SESSION_KEY, a password). */
function secretEnvOf(env: Record<string, string>, project: Project): string[] {
  const values = project.secrets.filter((secret) => secret.length >= 4);
  return Object.entries(env)
    .filter(([key, value]) => project.stackFile.secrets.includes(key) || values.some((secret) => value.includes(secret)))
    .map(([key]) => key);
}

function rawServices(file: StackFile): Record<string, RawService> {
  return (file.raw.services ?? {}) as Record<string, RawService>;
}

/** Every service with variables at their stack.yaml defaults (what a container listens on). */
function servicesWithDefaults(file: StackFile): Record<string, Service> {
  const parsed = stackSchema.parse(interpolate(file.raw, {}).value);
  return Object.fromEntries(Object.entries(parsed.services).map(([name, definition]) => [name, { ...definition, name }]));
}
