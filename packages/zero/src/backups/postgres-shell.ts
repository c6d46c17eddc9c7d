import { ZeroError } from "../errors/zero-error.js";

/** What a command run inside the PostgreSQL container returned. */
export interface ShellResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sh -c <script> sh <args...>` inside the running PostgreSQL container (compose: docker exec; kubernetes:
 * the pod's exec subresource), with stdin from a string or a host file and stdout optionally into a host file.
 */
export type PostgresShell = (
  script: string,
  args: string[],
  io: { input?: string; inputFile?: string; stdoutFile?: string },
) => Promise<ShellResult>;

// Scripts run inside the PostgreSQL container. The password stays in the environment of the shell
// (read from the mounted secret file), never on a command line that `ps` on the host would show.
const AS_USER = 'PGPASSWORD="$(cat "$POSTGRES_PASSWORD_FILE")"';
const CONNECT = '-h 127.0.0.1 -U "$POSTGRES_USER"';

/** psql on the server's "postgres" database, reading SQL from stdin (variables as psql's -v name=value). */
export function psql(shell: PostgresShell, sql: string, variables: Record<string, string> = {}) {
  const vars = Object.entries(variables).flatMap(([name, value]) => ["-v", `${name}=${value}`]);
  return shell(`${AS_USER} exec psql ${CONNECT} -d postgres -v ON_ERROR_STOP=1 -tAq "$@"`, vars, { input: sql });
}

/** pg_dump of the service's database in custom format, straight into a file on the host. */
export function pgDump(shell: PostgresShell, file: string) {
  return shell(`${AS_USER} exec pg_dump ${CONNECT} -d "$POSTGRES_DB" -Fc`, [], { stdoutFile: file });
}

/** pg_restore of a custom-format dump (from a host file) into the named database, all or nothing. */
export function pgRestore(shell: PostgresShell, file: string, database: string) {
  return shell(
    `${AS_USER} exec pg_restore ${CONNECT} -d "$1" --no-owner --exit-on-error --single-transaction`,
    [database],
    { inputFile: file },
  );
}

/** The server's major version (e.g. "17"). Without stdin, so a backup works where exec cannot close input. */
export async function serverMajor(shell: PostgresShell, where: string): Promise<string> {
  const result = await shell(`${AS_USER} exec psql ${CONNECT} -d postgres -tAqc "show server_version_num"`, [], {});
  if (result.exitCode !== 0) throw failed("ask PostgreSQL its version", where, result);
  return String(Math.floor(Number(result.stdout.trim()) / 10000));
}

/** A failed step inside the container, with its own output. */
export function failed(what: string, where: string, result: { stderr?: unknown; exitCode?: number }) {
  return new ZeroError("ZERO_BACKUP_FAILED", `Could not ${what} in ${where} (exit code ${result.exitCode}).`, {
    details: String(result.stderr ?? "")
      .trim()
      .split("\n")
      .slice(-10),
  });
}
