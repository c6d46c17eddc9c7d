import type { KindName } from "../kinds/index.js";
import type { Dependency, Service } from "../stack/schema.js";

/**
 * One service as a container, whatever runs it (compose, kubernetes). Strings are already in the
 * target's encoding (see ContainerTarget): a renderer copies them, it does not interpret them.
 */
export interface ContainerSpec {
  service: string;
  kind: KindName;
  profiles: string[];
  /** The image to run; with `build`, the tag the build produces. */
  image: string;
  build?: { context: string; dockerfile: string; target: string; args: Record<string, string> };
  user?: string;
  command?: string[];
  /** Replaces the image's entrypoint. */
  entrypoint?: string[];
  workingDir?: string;
  /** Variables without secrets in them. */
  env: Record<string, string>;
  /** NAME_FILE → the path of the mounted secret, for every secret variable NAME the service has. */
  secretFiles: Record<string, string>;
  /** Secret names mounted at /run/secrets/<name>. */
  secrets: string[];
  /**
   * Variables whose value is a secret but the program reads it from its environment (declared in `secrets:`, or
   * holding a secret's value): never written into a container definition, only referenced (Compose interpolation,
   * Kubernetes secretKeyRef). Variable → the secret's name (sentry_dsn for SENTRY_DSN). A template keeps them in env:
   * its values are stack.yaml's own `${SENTRY_DSN}` references, filled in by the engine.
   */
  secretEnv: Record<string, string>;
  /** Published on 127.0.0.1:host only. */
  ports: ContainerPort[];
  /** A named volume that outlives the container. */
  data?: { volume: string; path: string };
  mounts: ContainerMount[];
  /** Paths that stay the container's own under a mount (anonymous volumes, emptyDir). */
  scratch: string[];
  dependsOn: Record<string, Dependency>;
  /** Hot reload triggers from the service's watch rules (Compose's develop.watch). */
  watch: ContainerWatch[];
  healthcheck?: ContainerHealthcheck;
  /** A script for `sh -c` run in the container after it starts (kubernetes: a postStart hook; compose: zero runs it with docker exec). */
  postStart?: string;
  restart: Service["restart"];
  limits: { memory: string; cpus: number };
  labels: Record<string, string>;
}

export interface ContainerPort {
  name: string;
  /** The host port (a number, or a `${VAR:-default}` reference in a template). */
  host: string;
  container: number;
}

export interface ContainerMount {
  /** A path of the repository as the target names it (absolute for a run, ./relative in a template). */
  source: string;
  target: string;
  readOnly: boolean;
}

/** A probe run inside the container: an argv, or a script for `sh -c`. */
export interface ContainerHealthcheck {
  exec?: string[];
  shell?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
}

/** Everything the containers of one stack need besides themselves. */
export interface ContainerStack {
  name: string;
  services: ContainerSpec[];
  /** Named volumes (one per service with data). */
  volumes: string[];
  /** Every secret name some service defines (the lower-cased name of a *PASSWORD* variable). */
  secrets: string[];
  labels: Record<string, string>;
}

/**
 * How values are written for the target. A template (the committed docker-compose.yml) keeps
 * `${VAR:-default}` for the engine to fill in; a run has every value resolved.
 */
export interface ContainerTarget {
  template: boolean;
  /** A path of the repository as the target should name it. */
  path: (relative: string) => string;
  /** A value from stack.yaml or the variables (Compose escapes `$` in a run, keeps it in a template). */
  value: (text: string) => string;
  /** A script zero wrote, with literal `$` (Compose always escapes it as `$$`). */
  literal: (text: string) => string;
  /** An image variable's value (POSTGRES_IMAGE), or its reference with the default in a template. */
  imageVariable: (name: string, fallback: string) => string;
}

/** One watch trigger as container engines take it (Compose's develop.watch): a folder or file, patterns below it. */
export interface ContainerWatch {
  /** The folder (or file) watched, as the target names repository paths. */
  path: string;
  action: "restart" | "rebuild" | "sync" | "sync+restart" | "sync+exec";
  /** sync: where in the container `path` is copied to. */
  target?: string;
  /** Patterns relative to path: only these trigger (the rule's glob below its folder). */
  include?: string[];
  /** Patterns relative to path that never trigger. */
  ignore?: string[];
  exec?: { command: string[] };
}
