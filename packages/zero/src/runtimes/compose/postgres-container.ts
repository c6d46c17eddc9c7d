import type { PostgresShell } from "../../backups/postgres-shell.js";
import type { Project } from "../../config/project.js";
import type { DockerClient } from "../../docker/docker-client.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { Container } from "./containers.js";

/** The backups' shell inside a compose container: `docker exec -i <id> sh -c <script> sh <args...>`. */
export function containerShell(docker: DockerClient, container: Container): PostgresShell {
  return async (script, args, io) => {
    const result = await docker.exec(container.id, ["sh", "-c", script, "sh", ...args], { interactive: true, ...io });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
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
