import { ZeroError } from "../errors/zero-error.js";
import { kindOf } from "../kinds/index.js";
import type { Service } from "../stack/schema.js";
import { containerDataPath } from "./data-path.js";
import { containerHealthcheck } from "./healthcheck.js";
import type { ContainerInput } from "./inputs.js";
import { assertNoInlineSecrets, isSecretVariable, SECRETS_PATH, secretName } from "./secrets.js";
import type { ContainerMount, ContainerSpec, ContainerStack, ContainerTarget } from "./spec.js";
import { containerWatch } from "./watch.js";

/** The containers of a stack, from its services' inputs (templateInputs or runInputs), for one target. */
export function containerStack(stackName: string, inputs: ContainerInput[], target: ContainerTarget): ContainerStack {
  const declared = new Set(inputs.flatMap(({ env }) => Object.keys(env).filter(isSecretVariable).map(secretName)));
  const services = inputs.map((input) => containerSpec(stackName, input, target, declared));
  return {
    name: stackName,
    services,
    volumes: services.flatMap((spec) => (spec.data ? [spec.data.volume] : [])),
    secrets: [...declared].sort(),
    labels: { "dev.zero.stack": stackName },
  };
}

function containerSpec(stackName: string, input: ContainerInput, target: ContainerTarget, declared: Set<string>): ContainerSpec {
  const { service } = input;
  const kind = kindOf(service).container;
  const settings = service.container;
  assertNoInlineSecrets(service.name, input.rawEnv);

  const secrets = new Set<string>(settings?.secrets ?? []);
  const env: Record<string, string> = {};
  const secretFiles: Record<string, string> = {};
  const secretEnv: ContainerSpec["secretEnv"] = {};
  for (const [key, value] of Object.entries(input.env)) {
    if (isSecretVariable(key)) {
      secrets.add(secretName(key));
      secretFiles[`${key}_FILE`] = `${SECRETS_PATH}/${secretName(key)}`;
    } else if (input.secretEnv.includes(key) && !target.template) {
      secretEnv[key] = secretName(key);
    } else {
      env[key] = target.value(value);
    }
  }
  for (const name of secrets) {
    if (!declared.has(name)) {
      throw new ZeroError("ZERO_STACK_INVALID", `services.${service.name}.container.secrets names "${name}", which no service defines.`, {
        next: `Use one of: ${[...declared].join(", ")} (the lower-cased name of a *PASSWORD* variable in some service's env).`,
      });
    }
  }

  const dataPath = containerDataPath(service);
  const cwd = service.cwd ?? ".";
  const command = kind.command ? kind.command.map(target.literal) : input.command?.map(target.value);
  return {
    service: service.name,
    kind: service.kind,
    profiles: service.profiles,
    ...image(stackName, service, target),
    ...(settings?.user ?? kind.user ? { user: settings?.user ?? kind.user } : {}),
    ...(command ? { command } : {}),
    ...(settings?.entrypoint ? { entrypoint: settings.entrypoint.map(target.literal) } : {}),
    ...(kind.sourceMounts ? { workingDir: `/app/${cwd}` } : {}),
    env,
    secretFiles,
    secrets: [...secrets].sort(),
    secretEnv,
    ports: Object.entries(input.hostPorts).map(([name, host]) => ({ name, host: target.value(host), container: input.containerPorts[name]! })),
    ...(dataPath ? { data: { volume: `${service.name}-data`, path: dataPath } } : {}),
    mounts: (settings?.mounts.length ? settings.mounts : kind.sourceMounts ? [cwd] : []).map((mount) => parseMount(mount, target)),
    scratch: kind.sourceMounts ? [...new Set([`${cwd}/node_modules`, ...(settings?.writable ?? [])])].map((path) => `/app/${path}`) : (settings?.writable ?? []).map((path) => (path.startsWith("/") ? path : `/app/${path}`)),
    dependsOn: service.depends_on,
    watch: containerWatch(service.watch, target),
    ...(service.healthcheck ? { healthcheck: encodeHealthcheck(containerHealthcheck(service.healthcheck, input.containerPorts, kind.probeTool), target) } : {}),
    ...(kind.postStart ? { postStart: target.literal(kind.postStart) } : {}),
    restart: service.restart,
    limits: { memory: settings?.memory ?? kind.limits.memory, cpus: settings?.cpus ?? kind.limits.cpus },
    labels: { "dev.zero.stack": stackName, "dev.zero.service": service.name },
  };
}

/** An image by reference, or built from this repository (node by default; any kind with container.build). */
function image(stackName: string, service: Service, target: ContainerTarget): Pick<ContainerSpec, "image" | "build"> {
  const kind = kindOf(service).container;
  const settings = service.container;
  if (settings?.image) return { image: target.value(settings.image) };
  if (settings?.build || kind.build) {
    const node = kind.image ?? { variable: "NODE_IMAGE", default: "node:22-bookworm-slim" };
    return {
      build: {
        context: target.path(settings?.build?.context ?? "."),
        dockerfile: settings?.build?.dockerfile ?? "infrastructure/docker/Dockerfile",
        target: settings?.build?.target ?? settings?.target ?? `${service.name}-dev`,
        args: { NODE_IMAGE: target.imageVariable(node.variable, node.default) },
      },
      image: `${stackName}-${service.name}:dev`,
    };
  }
  if (kind.image) return { image: target.imageVariable(kind.image.variable, kind.image.default) };
  throw new ZeroError("ZERO_STACK_INVALID", `services.${service.name} (kind ${service.kind}) has no image to run in a container.`, {
    next: `Add services.${service.name}.container.image (e.g. node:22-bookworm-slim) or container.build, or run it natively.`,
  });
}

/** `path[:ro]` mounts at /app/<path>; `path:/in/container[:ro]` where it says. */
function parseMount(mount: string, target: ContainerTarget): ContainerMount {
  const [path, second, third] = mount.split(":") as [string, string?, string?];
  const explicit = second?.startsWith("/");
  return {
    source: target.path(path),
    target: explicit ? second! : `/app/${path}`,
    readOnly: (explicit ? third : second) === "ro",
  };
}

function encodeHealthcheck(check: ReturnType<typeof containerHealthcheck>, target: ContainerTarget) {
  return { ...check, ...(check.exec ? { exec: check.exec.map(target.literal) } : {}), ...(check.shell ? { shell: target.literal(check.shell) } : {}) };
}
