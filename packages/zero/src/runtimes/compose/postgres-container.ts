import { execa } from "execa";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { Container } from "./containers.js";

// Scripts run inside the PostgreSQL container. The password stays in the environment of the shell
// (read from the mounted secret file), never on a command line that `ps` on the host would show.
const AS_USER = 'PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"';
const CONNECT = '-h 127.0.0.1 -U "$POSTGRES_USER"';

/** psql on the server's "postgres" database, reading SQL from stdin (variables as psql's -v name=value). */
export async function psql(container: Container, sql: string, variables: Record<string, string> = {}) {
  const vars = Object.entries(variables).flatMap(([name, value]) => ["-v", `${name}=${value}`]);
  return inContainer(container, `${AS_USER} exec psql ${CONNECT} -d postgres -v ON_ERROR_STOP=1 -tAq "$@"`, vars, {
    input: sql,
  });
}

/** pg_dump of the service's database in custom format, straight into a file on the host. */
export async function pgDump(container: Container, file: string) {
  return inContainer(container, `${AS_USER} exec pg_dump ${CONNECT} -d "$POSTGRES_DB" -Fc`, [], { stdout: { file } });
}

/** pg_restore of a custom-format dump (from a host file) into the named database, all or nothing. */
export async function pgRestore(container: Container, file: string, database: string) {
  return inContainer(
    container,
    `${AS_USER} exec pg_restore ${CONNECT} -d "$1" --no-owner --exit-on-error --single-transaction`,
    [database],
    {
      inputFile: file,
    },
  );
}

/** The server's major version (e.g. "17"). */
export async function serverMajor(container: Container): Promise<string> {
  const result = await psql(container, "show server_version_num;\n");
  if (result.exitCode !== 0) throw failed("ask PostgreSQL its version", result);
  return String(Math.floor(Number(result.stdout.trim()) / 10000));
}

function inContainer(
  container: Container,
  script: string,
  args: string[],
  io: { input?: string; inputFile?: string; stdout?: { file: string } },
) {
  return execa("docker", ["exec", "-i", container.id, "sh", "-c", script, "sh", ...args], { reject: false, ...io });
}

/** A failed step inside the container, with its own output. */
export function failed(what: string, result: { stderr?: unknown; exitCode?: number }) {
  return new ZeroError(
    "ZERO_BACKUP_FAILED",
    `Could not ${what} in the PostgreSQL container (exit code ${result.exitCode}).`,
    {
      details: String(result.stderr ?? "")
        .trim()
        .split("\n")
        .slice(-10),
    },
  );
}

/** The running container of a postgres service, or an error saying to start the stack. */
export function requireRunning(
  project: Project,
  containers: Container[],
  service: string,
  code: "ZERO_BACKUP_FAILED" | "ZERO_RESTORE_FAILED",
): Container {
  const container = containers.find((c) => c.service === service && c.status === "running");
  if (!container) {
    throw new ZeroError(code, `${service} is not running under compose.`, {
      why: "Under compose, backups are taken and restored through the running PostgreSQL container (pg_dump / pg_restore).",
      next: `Start it with \`make dev runtime=compose profile=${project.profile}\`, then run the command again.`,
    });
  }
  return container;
}
