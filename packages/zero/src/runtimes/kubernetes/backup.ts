import { createDumpBackup, type DumpSource, restoreDumpBackup } from "../../backups/pg-dump.js";
import type { Project } from "../../config/project.js";
import type { DatabaseTarget } from "../../database/target.js";
import { connectCluster } from "./cluster.js";
import { podShell, readyPod } from "./pod-shell.js";

/** The running PostgreSQL pod, through the exec API (the same pg_dump/pg_restore steps as compose's container). */
function source(project: Project, service: string, code: "ZERO_BACKUP_FAILED" | "ZERO_RESTORE_FAILED"): DumpSource {
  return {
    runtime: "kubernetes",
    open: async () => {
      const cluster = await connectCluster(project);
      const pod = await readyPod(cluster, project.stack.name, service, code);
      return { shell: podShell(cluster, pod, service), where: `pod ${pod}` };
    },
  };
}

/** `make backup-db runtime=kubernetes`: pg_dump in the postgres pod, into the same local backups store. */
export function createClusterBackup(project: Project, target: DatabaseTarget, note: (message: string) => void) {
  return createDumpBackup(project, source(project, target.service.name, "ZERO_BACKUP_FAILED"), target, note);
}

/** `make restore-db runtime=kubernetes`: pg_restore into a scratch database in the pod, then swapped in. */
export function restoreClusterBackup(
  project: Project,
  target: DatabaseTarget,
  file: string,
  note: (message: string) => void,
) {
  return restoreDumpBackup(project, source(project, target.service.name, "ZERO_RESTORE_FAILED"), target, file, note);
}
