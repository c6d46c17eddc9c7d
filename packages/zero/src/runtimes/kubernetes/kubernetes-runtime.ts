import type { Project } from "../../config/project.js";
import type { DockerClient } from "../../docker/docker-client.js";
import type { EventSink } from "../../orchestrate/events.js";
import type { DownOptions, DownResult, Runtime, RuntimeCapabilities, UpResult } from "../runtime.js";
import { CHART_DIR } from "./render/chart-dir.js";
import { namespaceOf } from "./cluster.js";

/**
 * The stack on a Kubernetes cluster (the current kube context). Everything, the Kubernetes client included,
 * is loaded on use: the native and compose runtimes' start-up does not pay for it.
 */
export class KubernetesRuntime implements Runtime {
  readonly name = "kubernetes";
  readonly refusesPlaceholderSecrets = true;
  readonly capabilities: RuntimeCapabilities = {
    status: async (project) => (await import("./status.js")).clusterStatus(project),
    logs: async (project, query, onLine, signal) =>
      (await import("./logs.js")).clusterLogs(project, query, onLine, signal),
    restart: async (project, service) => (await import("./restart-service.js")).restartService(project, service),
    // pg_dump / pg_restore in the postgres pod over the exec API (the compose runtime's steps, backups/pg-dump.ts).
    backup: {
      create: async (project, target, note) => (await import("./backup.js")).createClusterBackup(project, target, note),
    },
    restore: async (project, target, file, note) =>
      (await import("./backup.js")).restoreClusterBackup(project, target, file, note),
    export: [
      {
        format: "kubernetes",
        description: "the kustomize folder infrastructure/k8s (and its skaffold.yaml)",
        make: "make k8s-files",
        folder: "infrastructure/k8s",
        files: async (file) => (await import("./render/exports.js")).kubernetesExport(file),
      },
      {
        format: "helm",
        description: `the Helm chart ${CHART_DIR}`,
        make: "make k8s-files",
        folder: CHART_DIR,
        files: async (file) => (await import("./render/exports.js")).helmExport(file),
      },
    ],
  };

  /** Docker as given (runtimes/index.ts): it builds the images a deploy runs. */
  constructor(private readonly docker: DockerClient) {}

  /** A cluster is usually shared: deleting its PVCs is asked first (not for throwaway profiles such as test). */
  confirmDataRemoval(project: Project): string | undefined {
    if (project.stackFile.profiles[project.profile]?.ephemeral) return undefined;
    return `This deletes the PersistentVolumeClaims (the PostgreSQL and Redis data) of ${project.stack.name} in namespace ${namespaceOf(project)} of the cluster.`;
  }

  dataLocation(project: Project): string {
    return `the stack's PersistentVolumeClaims in the cluster (namespace ${namespaceOf(project)})`;
  }

  async up(project: Project, onEvent: EventSink): Promise<UpResult> {
    return (await import("./deploy.js")).deploy(project, onEvent, this.docker);
  }

  async down(project: Project, onEvent: EventSink, options?: DownOptions): Promise<DownResult> {
    return (await import("./undeploy.js")).undeploy(project, onEvent, options);
  }
}
