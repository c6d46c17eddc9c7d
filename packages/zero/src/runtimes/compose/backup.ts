import { createDumpBackup, type DumpSource, restoreDumpBackup } from "../../backups/pg-dump.js";
import type { Project } from "../../config/project.js";
import type { DatabaseTarget } from "../../database/target.js";
import type { DockerClient } from "../../docker/docker-client.js";
import type { Container } from "./containers.js";
import { containerShell, requireRunning } from "./postgres-container.js";

/** The running PostgreSQL container, through docker exec. */
function source(
  project: Project,
  docker: DockerClient,
  containers: Container[],
  service: string,
  code: "ZERO_BACKUP_FAILED" | "ZERO_RESTORE_FAILED",
): DumpSource {
  return {
    runtime: "compose",
    open: async () => ({
      shell: containerShell(docker, requireRunning(project, containers, service, code)),
      where: `the ${service} container`,
    }),
  };
}

/** `make backup-db runtime=compose`: pg_dump through the running container (backups/pg-dump.ts). */
export function createComposeBackup(
  project: Project,
  docker: DockerClient,
  containers: Container[],
  target: DatabaseTarget,
  note: (message: string) => void,
) {
  return createDumpBackup(
    project,
    source(project, docker, containers, target.service.name, "ZERO_BACKUP_FAILED"),
    target,
    note,
  );
}

/** `make restore-db runtime=compose`: pg_restore into a scratch database, then swapped in. */
export function restoreComposeBackup(
  project: Project,
  docker: DockerClient,
  containers: Container[],
  target: DatabaseTarget,
  file: string,
  note: (message: string) => void,
) {
  return restoreDumpBackup(
    project,
    source(project, docker, containers, target.service.name, "ZERO_RESTORE_FAILED"),
    target,
    file,
    note,
  );
}
