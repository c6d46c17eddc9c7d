import { execa } from "execa";
import type { PostgresShell } from "../../backups/postgres-shell.js";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { Container } from "./containers.js";

/** The backups' shell inside a compose container: `docker exec -i <id> sh -c <script> sh <args...>`. */
export function containerShell(container: Container): PostgresShell {
  return async (script, args, io) => {
    const result = await execa("docker", ["exec", "-i", container.id, "sh", "-c", script, "sh", ...args], {
      reject: false,
      ...(io.input !== undefined ? { input: io.input } : {}),
      ...(io.inputFile ? { inputFile: io.inputFile } : {}),
      ...(io.stdoutFile ? { stdout: { file: io.stdoutFile } } : {}),
    });
    return { exitCode: result.exitCode, stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
  };
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
