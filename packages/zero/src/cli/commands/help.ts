import { runtimeNames } from "../../runtimes/table.js";
import type { Output } from "../output.js";

/** Commands, one line each; `make help` shows the Makefile's view of the same. */
export const commands: Record<string, string> = {
  up: "Start the stack and wait until every service is healthy (zero up postgres redis: only those and their dependencies)",
  down: "Stop everything the stack runs; data is kept (--volumes, compose: remove the data volumes too; --all: every stack of yours, asks first)",
  stacks: "Every stack of yours on this machine: folder, branch, runtime, profile, state, URLs (* this folder); --json",
  status: "One row per service: state, health, uptime, restarts, ports (--json for scripts)",
  logs: "All services' logs with a prefix (zero logs api for one); --tail N, --since 10m, -f / --no-follow",
  restart: "zero restart <service> (also stop, start): one service, the others keep running",
  exec: "zero exec <service> -- <command...>: run a command inside a running service (compose)",
  psql: "psql on the stack's PostgreSQL (password from .env through PGPASSFILE, never argv); zero psql -- -c 'select 1'",
  "redis-cli": "redis-cli on the stack's Redis (password through REDISCLI_AUTH, never argv); zero redis-cli -- ping",
  debug:
    "zero debug api: its dependencies under the supervisor, the API in the foreground with --inspect-brk (waits for a debugger)",
  config: "Validate and show the effective configuration: variable, value (secrets masked), source",
  db: "The database: zero db migrate | rollback [--yes] | new <name> | seed | reset [--no-seed] [--yes] | backup | restore <file> [--yes] | backups",
  doctor:
    "Check every prerequisite (Node, npm deps, PostgreSQL binaries, redis-server, disk, .env, Docker); --report writes a redacted bug-report file",
  "trust-ca":
    "Trust the stack's local HTTPS CA (made by Caddy on the first https=1 start) in the system store and the browsers' NSS databases with mkcert; prints each change",
  "untrust-ca": "Remove that CA from the same stores again; prints each change",
  mcp: "An MCP server on stdin/stdout for coding agents: status, logs, restart/stop/start, migrate, seed, config, doctor (docs/agents.md)",
  secrets: "zero secrets generate: replace CHANGE_ME placeholders in .env with random secrets",
  export:
    "zero export compose|kubernetes|helm [--check]: write docker-compose.yml, infrastructure/k8s or the Helm chart from stack.yaml (or check they are current)",
  schema: "Print the JSON Schema of stack.yaml (or write it: zero schema <file>)",
  help: "This list",
};

export function help(out: Output): number {
  out.line(
    `Usage: zero <command> [--profile NAME[+ADD-ON]] [--with ADD-ON] [--runtime ${runtimeNames().join("|")}] [--set NAME=VALUE]...`,
  );
  out.line("");
  for (const [name, description] of Object.entries(commands)) out.line(`  ${name.padEnd(9)} ${description}`);
  return 0;
}
