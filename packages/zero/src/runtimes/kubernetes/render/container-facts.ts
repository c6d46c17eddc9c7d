import type { Project } from "../../../config/project.js";
import {
  containerStack,
  runInputs,
  SECRETS_PATH,
  templateInputs,
  type ContainerInput,
  type ContainerSpec,
  type ContainerTarget,
} from "../../../containers/index.js";
import { kindOf, type KindName } from "../../../kinds/index.js";
import { interpolate } from "../../../stack/interpolate.js";
import type { StackFile } from "../../../stack/load.js";
import type { Healthcheck, Service } from "../../../stack/schema.js";

/**
 * What Kubernetes needs of one service's container: the shared container layer's spec (src/containers),
 * plus what only Kubernetes asks for (a numeric user, production image stages, probes on named ports).
 */
export interface ContainerFacts {
  name: string;
  kind: KindName;
  dependsOn: Record<string, unknown>;
  /** The service's watch triggers, paths relative to the repository (skaffold.yaml's file sync). */
  watch: ContainerSpec["watch"];
  /** Built images (api, web): the repository name without tag and the Dockerfile's production stage. */
  image: { reference: string; built: boolean; target?: string; buildArgs?: Record<string, string> };
  ports: { name: string; port: number }[];
  /** Non-secret environment plus the *_FILE variables of the mounted secrets. */
  env: Record<string, string>;
  /** Keys of the stack's Secret mounted as files under /run/secrets. */
  secretFiles: string[];
  /** Variables the container takes from a key of the stack's Secret (secretKeyRef): declared secrets, never values. */
  secretEnv: Record<string, string>;
  command?: string[];
  /** The image's unprivileged user id (runAsUser needs a number); undefined: the image's own USER. */
  uid?: number;
  dataPath?: string;
  /** Folders the process writes outside its data: emptyDir mounts, so the root filesystem stays read-only. */
  scratch: string[];
  limits: { memoryMi: number; cpuMilli: number };
  /** The stack's check (http/tcp become httpGet/tcpSocket on the named port) and its in-container form. */
  healthcheck?: Healthcheck;
  exec?: string[];
  /** The kind's start-up step in the container (postgres: apply a rotated password), as a postStart hook. */
  postStart?: string;
  /** The release step run before the container starts (the api's migrations: an init container, ADR 15). */
  migrate?: string[];
}

export { SECRETS_PATH };

/**
 * The production api stage ships dist/migrate.mjs beside dist/server.mjs: the same prepareDatabase the server runs
 * before it listens, alone. A built service that migrates at start (MIGRATIONS_DIR) runs it as an init container.
 */
const MIGRATE_COMMAND = ["node", "--enable-source-maps", "dist/migrate.mjs"];

/** The committed files' facts: every service, variables at their stack.yaml defaults, official image defaults. */
export function templateFacts(file: StackFile): ContainerFacts[] {
  const resolve = (text: string) => interpolate(text, {}).value;
  const target: ContainerTarget = {
    template: false,
    path: (p) => p,
    value: resolve,
    literal: (s) => s,
    imageVariable: (_, fallback) => fallback,
  };
  // Add-on profiles (monitoring) are not exported to Kubernetes: their configuration is a bind mount, not a ConfigMap.
  const exported = templateInputs(file).filter(
    ({ service }) => !service.profiles.every((name) => file.profiles[name]?.adds_to),
  );
  return toFacts(file.name, exported, target);
}

/** A deploy's facts: the project's profile with every value resolved (images from .env, e.g. CI's stand-ins). */
export function runFacts(project: Project): ContainerFacts[] {
  const target: ContainerTarget = {
    template: false,
    path: (p) => p,
    value: (s) => s,
    literal: (s) => s,
    imageVariable: (name, fallback) => project.variables.values[name] || fallback,
  };
  return toFacts(project.stack.name, runInputs(project), target);
}

function toFacts(stackName: string, inputs: ContainerInput[], target: ContainerTarget): ContainerFacts[] {
  const stack = containerStack(stackName, inputs, target);
  return stack.services.map((spec, i) => factsOf(stackName, spec, inputs[i]!.service));
}

function factsOf(stackName: string, spec: ContainerSpec, service: Service): ContainerFacts {
  const built = Boolean(spec.build);
  const kind = kindOf(spec).container;
  return {
    name: spec.service,
    kind: spec.kind,
    dependsOn: spec.dependsOn,
    watch: spec.watch,
    // Kubernetes runs the production stage (api, web) of the Dockerfile, not the hot-reload one (api-dev).
    image: built
      ? { reference: `${stackName}-${spec.service}`, built, target: spec.build!.target.replace(/-dev$/, "") }
      : { reference: spec.image, built },
    // Production stages run without an inspector: no debug port.
    ports: spec.ports.filter((p) => !(built && p.name === "debug")).map((p) => ({ name: p.name, port: p.container })),
    env: { ...spec.env, ...spec.secretFiles },
    secretFiles: spec.secrets,
    secretEnv: spec.secretEnv,
    // A built image's own CMD starts the production server; the spec's command is the dev one.
    ...(spec.command && !built ? { command: spec.command } : {}),
    ...(kind.uid !== undefined ? { uid: kind.uid } : {}),
    ...(spec.data ? { dataPath: spec.data.path } : {}),
    scratch: kind.scratch ?? ["/tmp"],
    limits: { memoryMi: mebibytes(spec.limits.memory), cpuMilli: Math.round(spec.limits.cpus * 1000) },
    ...(service.healthcheck ? { healthcheck: service.healthcheck } : {}),
    ...(spec.healthcheck ? { exec: spec.healthcheck.exec ?? ["sh", "-c", spec.healthcheck.shell!] } : {}),
    ...(spec.postStart ? { postStart: spec.postStart } : {}),
    ...(built && spec.env.MIGRATIONS_DIR ? { migrate: MIGRATE_COMMAND } : {}),
  };
}

/** Every key of the stack's Secret some container uses (mounted as a file or taken into its environment). */
export function secretKeysOf(facts: ContainerFacts[]): string[] {
  return [...new Set(facts.flatMap((f) => [...f.secretFiles, ...Object.values(f.secretEnv)]))].sort();
}

/** Whether a container uses the stack's Secret: its pods roll when the Secret changes. */
export function usesSecret(facts: ContainerFacts): boolean {
  return facts.secretFiles.length > 0 || Object.keys(facts.secretEnv).length > 0;
}

/** Docker's memory notation (512m, 1g) in MiB. */
function mebibytes(memory: string): number {
  const match = memory.match(/^(\d+(?:\.\d+)?)([kmg])?b?$/i);
  if (!match) return 1024;
  const factor = { k: 1 / 1024, m: 1, g: 1024 }[(match[2] ?? "m").toLowerCase() as "k" | "m" | "g"];
  return Math.round(Number(match[1]) * factor);
}
