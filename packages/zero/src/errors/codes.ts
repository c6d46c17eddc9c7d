/** Every error zero can report, by stable code. docs/troubleshooting.md has a section per code (a test checks it). */
export const errorCodes = {
  ZERO_STACK_INVALID: {
    exitCode: 2,
    why: "stack.yaml does not match the stack schema, or its services form an impossible graph.",
    next: "Fix the entries named above in stack.yaml; your editor validates it against packages/zero/stack.schema.json.",
  },
  ZERO_CONFIG_INVALID: {
    exitCode: 2,
    why: "A variable in .env, .env.<profile>, the environment or a flag has a value zero cannot use.",
    next: "Correct the variables listed above (run `make config` to see every value and where it came from).",
  },
  ZERO_PROFILE_UNKNOWN: {
    exitCode: 2,
    why: "The profile asked for is not defined in stack.yaml.",
    next: "Pick one of the profiles listed above, e.g. `make dev profile=full`.",
  },
  ZERO_PORT_IN_USE: {
    exitCode: 3,
    why: "Another process already listens on a port the stack needs.",
    next: "Stop that process, set another port in .env, or run `make dev auto_ports=1` to pick free ports.",
  },
  ZERO_PREREQ_MISSING: {
    exitCode: 4,
    why: "A tool the stack needs is not installed or is too old.",
    next: "Install it with the command shown above, then run `make dev` again (`make doctor` checks everything).",
  },
  ZERO_DOCKER_UNAVAILABLE: {
    exitCode: 4,
    why: "runtime=compose needs a running Docker daemon that you may use.",
    next: "Start Docker (Docker Desktop, or `sudo systemctl start docker`), or fix the socket permission as shown above; `make dev` runs natively without Docker.",
  },
  ZERO_K8S_UNAVAILABLE: {
    exitCode: 4,
    why: "runtime=kubernetes needs a kube context whose API server answers (the current one, or context=<name>).",
    next: "Start the cluster or pick another context (kubectl config get-contexts); `make dev` runs natively without a cluster.",
  },
  ZERO_K8S_FORBIDDEN: {
    exitCode: 4,
    why: "The cluster's RBAC does not let your kube user do what the deploy needs in the stack's namespace.",
    next: "Ask for a Role with create/patch/get/list/watch/delete on the stack's objects in that namespace, or use another namespace (ZERO_K8S_NAMESPACE).",
  },
  ZERO_K8S_CONFIG_INVALID: {
    exitCode: 4,
    why: "The kubeconfig that KUBECONFIG (or ~/.kube/config) names is missing or is not a valid kubeconfig.",
    next: "Fix the file named above (the line the YAML parser names), point KUBECONFIG at a working file, or unset it to use ~/.kube/config.",
  },
  ZERO_SERVICE_FAILED: {
    exitCode: 5,
    why: "A service exited or could not be started.",
    next: "Read the log lines above; `make logs service=<name>` shows the whole log.",
  },
  ZERO_SERVICE_UNHEALTHY: {
    exitCode: 5,
    why: "A service started but its health check did not pass before the deadline.",
    next: "Read the log lines above; `make logs service=<name>` shows the whole log.",
  },
  ZERO_ENV_MISSING: {
    exitCode: 2,
    why: "A command that only reads would have created a new .env with new passwords, which the running stack and its data do not use.",
    next: "Put the running stack's passwords back into .env (where to find them is listed above; cp .env.example .env, then fill them in), or stop it with `make down` and start again with `make dev`.",
  },
  ZERO_STACK_RUNNING_OTHER: {
    exitCode: 6,
    why: "A stack is already running from this folder with different settings.",
    next: "Run `make down` first, then start again with the new settings.",
  },
  ZERO_STACK_BUSY: {
    exitCode: 6,
    why: "Another zero command (make dev, down, reset-db or restore-db) is starting, stopping or replacing this stack; two at once could leave no stack at all.",
    next: "Wait for that command to finish (its pid is shown above), then run yours again; if that process is stuck, stop it first.",
  },
  ZERO_LOGS_UNWRITABLE: {
    exitCode: 4,
    why: "The stack's log folder cannot be written (read-only, full disk, or wrong owner); services would run with nowhere to log.",
    next: "Make .zero/logs writable (free disk space, `chmod u+w`, or remount it read-write), then run the command again.",
  },
  ZERO_SUPERVISOR_UNREACHABLE: {
    exitCode: 7,
    why: "The background supervisor did not start or stopped answering.",
    next: "Run `make down` to clean up, then `make dev`; see .zero/logs/supervisor.log.",
  },
  ZERO_CONFIRMATION_REQUIRED: {
    exitCode: 2,
    why: "The command deletes or replaces data, and it was not confirmed (no terminal to ask in, or the answer was not yes).",
    next: "In a terminal answer yes; in scripts and CI add yes=1 (zero: --yes).",
  },
  ZERO_DATABASE_UNREACHABLE: {
    exitCode: 8,
    why: "The database commands need the stack's PostgreSQL running, and it did not answer.",
    next: "Start it with `make dev` (or `make dev profile=minimal`), then run the command again.",
  },
  ZERO_MIGRATION_FAILED: {
    exitCode: 8,
    why: "A migration's SQL failed; all pending migrations run in one transaction (and behind a restore point when the database had migrations), so none of them was applied.",
    next: "Fix the migration file named above (infrastructure/database/migrations), then `make migrate` again.",
  },
  ZERO_SEED_FAILED: {
    exitCode: 8,
    why: "A seed file's SQL failed; seeds run in one transaction, so nothing was written.",
    next: "Fix the seed file named above (infrastructure/database/seeds); seeds must be idempotent (fixed ids, ON CONFLICT DO NOTHING).",
  },
  ZERO_BACKUP_FAILED: {
    exitCode: 8,
    why: "The data directory could not be copied into .zero/backups.",
    next: "Read the reason above (disk space, a PostgreSQL running outside zero), fix it and run `make backup-db` again.",
  },
  ZERO_SNAPSHOT_REFUSED: {
    exitCode: 8,
    why: "The snapshot named does not exist, or was taken of another project or PostgreSQL major version; nothing was changed.",
    next: "Run `make snapshots` to list this stack's snapshots and restore points.",
  },
  ZERO_RESTORE_FAILED: {
    exitCode: 8,
    why: "The backup file is damaged or does not fit this stack, or the restored database did not start; the previous database was kept.",
    next: "Pick another file from `make backups`; the current database is unchanged.",
  },
  ZERO_DATABASE_UNSUPERVISED: {
    exitCode: 8,
    why: "A PostgreSQL of this stack runs on its data directory outside zero's control (the supervisor that started it is gone); changing its data under it would break it.",
    next: "Run `make down` (it stops what the supervisor left running), then `make dev`, then the command again.",
  },
  ZERO_DELETE_REFUSED: {
    exitCode: 9,
    why: "A path zero was about to delete really lies outside the project's own data places (a link or `..` leads elsewhere).",
    next: "Look at the path named above (ls -l); remove the link or delete it yourself if it really is this project's, then run the command again.",
  },
  ZERO_HTTPS_NO_CA: {
    exitCode: 2,
    why: "The stack's local CA is created by Caddy the first time the stack starts with https=1; it has not started that way yet.",
    next: "Start it once with `make dev https=1` (Caddy creates the CA in .zero/https), then run `make trust-ca` again.",
  },
  ZERO_HTTPS_TRUST_FAILED: {
    exitCode: 1,
    why: "mkcert could not change a trust store (most often: no permission to change the system store).",
    next: "Read mkcert's own words above; run the command as a user who may change the system store (mkcert asks sudo for it).",
  },
  ZERO_USAGE: {
    exitCode: 2,
    why: "The command line was not understood.",
    next: "Run `zero help` (or `make help`) for the commands and options.",
  },
  ZERO_UNSUPPORTED: {
    exitCode: 2,
    why: "The chosen runtime cannot do this (or cannot run this kind of service); zero refuses rather than do something else.",
    next: "Use a runtime the message names (runtime=<name>), or leave the service out of this runtime (docs/runtimes.md).",
  },
  ZERO_WATCH_LIMIT: {
    exitCode: 4,
    why: "The system's limit on inotify watches (fs.inotify.max_user_watches) is reached: watch rules miss some changes. The stack keeps running.",
    next: "Raise it: sudo sysctl fs.inotify.max_user_watches=524288 (keep it with a file in /etc/sysctl.d/), then make down && make dev; or narrow the rules' paths.",
  },
  ZERO_INTERNAL: {
    exitCode: 70,
    why: "Something unexpected went wrong inside zero.",
    next: "Run again with ZERO_DEBUG=1 and report the output.",
  },
} as const satisfies Record<string, { exitCode: number; why: string; next: string }>;

export type ErrorCode = keyof typeof errorCodes;
