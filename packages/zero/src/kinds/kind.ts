import type { Service } from "../stack/schema.js";

/** What zero knows about one kind of service, whatever runs it. Runtimes read this; none repeats it. */
export interface KindDefinition {
  /** One line for the JSON schema and docs. */
  description: string;
  /** What a service of this kind must declare in stack.yaml. */
  requires: { command?: boolean; mainPort?: boolean };
  /** How a client reaches it (postgres://…), for data services. */
  connectionUrl?: (service: Service, host: string) => string;
  container: ContainerKind;
}

/** How the kind runs in a container (compose, kubernetes). */
export interface ContainerKind {
  /** A ready-made image: the .env variable that may replace it (stand-ins) and its default. */
  image?: { variable: string; default: string };
  /** Built from the repository's Dockerfile, stage `<service>-dev` unless `container.build.target` says otherwise. */
  build?: boolean;
  /** Where the kind keeps its data: a named volume is mounted there. */
  dataPath?: string;
  /** The user the process runs as (never root where the image allows). */
  user?: string;
  /** The container's command, a script written for `sh` (literal `$`): used instead of the service's own. */
  command?: string[];
  /**
   * A script (for `sh`, literal `$`) run inside the container once it has started, before health checks count:
   * compose runs it with `docker exec`, kubernetes as a postStart hook. A non-zero exit stops the start with its output.
   */
  postStart?: string;
  /** Why postStart may fail, and the fix, for the error it gives. */
  postStartFailure?: { why: string; next: string };
  /** The image's own command runs unless `container.command` names one; the service's `command` is the native stand-in. */
  commandFromImage?: boolean;
  /** Sources are bind-mounted under /app (hot reload); the container's node_modules stays its own. */
  sourceMounts?: boolean;
  limits: { memory: string; cpus: number };
  /** What the image has to probe http and tcp with: node, or a POSIX shell with wget/curl/nc. */
  probeTool: "node" | "shell";
}
