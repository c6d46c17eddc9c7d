import { isAbsolute, join } from "node:path";
import { stringify } from "yaml";
import type { Project } from "../../config/project.js";
import { containerStack, runInputs, secretEnvValues, templateInputs, type ContainerSpec, type ContainerStack, type ContainerTarget } from "../../containers/index.js";
import { kindOf } from "../../kinds/index.js";
import type { StackFile } from "../../stack/load.js";
import { CONTAINER_CONTROL_DIR, CONTAINER_CONTROL_ENV, CONTAINER_TOKEN_DIR, tokenMountDir } from "./control/control-process.js";

const HEADER = [
  "Generated from stack.yaml by `zero export compose` (make compose-file): do not edit by hand.",
  "Plain `docker compose up` works after `make secrets` has written .zero/secrets/ (docs/runtimes.md);",
  "`make dev runtime=compose` generates its own copy for the chosen profile and runs that.",
].map((line) => `# ${line}`).join("\n");

/** The committed docker-compose.yml: every service and profile, variables left to Compose. */
export function composeTemplate(file: StackFile): string {
  const target: ContainerTarget = {
    template: true,
    path: (relative) => (relative === "." ? "." : `./${relative}`),
    value: (text) => text,
    literal: escapeDollars,
    imageVariable: (name, fallback) => `\${${name}:-${fallback}}`,
  };
  return render(containerStack(file.name, templateInputs(file), target), "${ZERO_SECRETS_DIR:-./.zero/secrets}", { withProfiles: true, v2: true });
}

/**
 * The file a compose run uses: the project's profile, every value resolved (and `$` escaped). The app (node)
 * containers get the control server's folder, as native node services get the supervisor's address.
 */
export function composeForRun(project: Project, secretsDir: string, controlDir: string, composeVersion: 1 | 2): string {
  const stack = runStack(project);
  const services = stack.services.map((spec) => {
    if (!kindOf(spec).control) return spec;
    return withControl(spec, controlDir, tokenMountDir(project, project.stack.services[spec.service]?.control === "act" ? "act" : "read"));
  });
  return render({ ...stack, services }, secretsDir, { withProfiles: false, v2: composeVersion === 2 });
}

/**
 * The variable Compose interpolates a secret taken from the environment from (`${ZERO_SECRET_SENTRY_DSN}`): zero
 * passes it to the `docker compose` it runs (composeSecretEnvironment), so the value is in no file.
 */
export function composeSecretVariable(secret: string): string {
  return `ZERO_SECRET_${secret.toUpperCase()}`;
}

/** The environment `docker compose up` needs to fill in the run file's secret references. */
export function composeSecretEnvironment(project: Project): Record<string, string> {
  return Object.fromEntries(Object.entries(secretEnvValues(project)).map(([secret, value]) => [composeSecretVariable(secret), value]));
}

/** Read-only: the socket still accepts connections, and the container cannot replace the token or the socket. */
function withControl(spec: ContainerSpec, controlDir: string, tokenDir: string): ContainerSpec {
  return {
    ...spec,
    env: { ...spec.env, ...CONTAINER_CONTROL_ENV },
    mounts: [
      ...spec.mounts,
      { source: controlDir, target: CONTAINER_CONTROL_DIR, readOnly: true },
      { source: tokenDir, target: CONTAINER_TOKEN_DIR, readOnly: true },
    ],
  };
}

/** Host folders of the run's writable bind mounts (e.g. the https service's `.zero/https`). */
export function writableMountFolders(project: Project): string[] {
  return runStack(project).services.flatMap((spec) => spec.mounts.filter((mount) => !mount.readOnly).map((mount) => mount.source));
}

function runStack(project: Project): ContainerStack {
  const target: ContainerTarget = {
    template: false,
    path: (relative) => (isAbsolute(relative) ? relative : join(project.root, relative)),
    value: escapeDollars,
    literal: escapeDollars,
    imageVariable: (name, fallback) => escapeDollars(project.variables.values[name] || fallback),
  };
  return containerStack(project.stackFile.name, runInputs(project), target);
}

/** withProfiles: the template keeps every profile; v2: keys Compose v1 refuses (develop, depends_on restart). */
interface RenderOptions {
  withProfiles: boolean;
  v2: boolean;
}

function render(stack: ContainerStack, secretsDir: string, options: RenderOptions): string {
  const document = {
    services: Object.fromEntries(stack.services.map((spec) => [spec.service, composeService(spec, options)])),
    networks: { zero: { labels: stack.labels } },
    volumes: Object.fromEntries(stack.volumes.map((name) => [name, { labels: stack.labels }])),
    secrets: Object.fromEntries(stack.secrets.map((name) => [name, { file: `${secretsDir}/${name}` }])),
  };
  return `${HEADER}\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** One service in Compose's words. */
function composeService(spec: ContainerSpec, { withProfiles, v2 }: RenderOptions) {
  const check = spec.healthcheck;
  return {
    ...(spec.build ? { build: spec.build } : {}),
    image: spec.image,
    ...(withProfiles ? { profiles: spec.profiles } : {}),
    ...(spec.user ? { user: spec.user } : {}),
    ...(spec.entrypoint ? { entrypoint: spec.entrypoint } : {}),
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.workingDir ? { working_dir: spec.workingDir } : {}),
    environment: {
      ...spec.env,
      ...spec.secretFiles,
      ...Object.fromEntries(Object.entries(spec.secretEnv).map(([key, secret]) => [key, `\${${composeSecretVariable(secret)}}`])),
    },
    ...(spec.secrets.length > 0 ? { secrets: spec.secrets } : {}),
    ports: spec.ports.map((port) => `127.0.0.1:${port.host}:${port.container}`),
    volumes: [
      ...(spec.data ? [`${spec.data.volume}:${spec.data.path}`] : []),
      ...spec.mounts.map((mount) => `${mount.source}:${mount.target}${mount.readOnly ? ":ro" : ""}`),
      // Anonymous volumes: e.g. the container's node_modules and build output stay out of the source mount.
      ...spec.scratch,
    ],
    ...(Object.keys(spec.dependsOn).length > 0
      ? {
          depends_on: Object.fromEntries(
            Object.entries(spec.dependsOn).map(([name, { condition, restart }]) => [
              name,
              { condition: condition === "healthy" ? "service_healthy" : "service_started", ...(restart && v2 ? { restart: true } : {}) },
            ]),
          ),
        }
      : {}),
    ...(check
      ? {
          healthcheck: {
            test: check.exec ? ["CMD", ...check.exec] : ["CMD-SHELL", check.shell!],
            interval: `${check.intervalSeconds}s`,
            timeout: `${check.timeoutSeconds}s`,
            retries: check.retries,
            start_period: "0s",
          },
        }
      : {}),
    // Compose v2's own watch (`docker compose watch`); under v1 zero's control server runs the same rules.
    ...(v2 && spec.watch.length > 0 ? { develop: { watch: spec.watch } } : {}),
    restart: spec.restart,
    mem_limit: spec.limits.memory,
    cpus: spec.limits.cpus,
    networks: ["zero"],
    labels: spec.labels,
  };
}

/** Compose reads `$$` as a literal `$`; values zero already resolved must not be interpolated again. */
function escapeDollars(value: string): string {
  return value.replaceAll("$", () => "$$");
}
