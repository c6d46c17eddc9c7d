import type { Project } from "../../config/project.js";
import { containerDataPath } from "../../containers/index.js";
import type { ServiceRecord, ServiceStatus } from "../runtime.js";
import { statusOf } from "../service-status.js";
import { connectCluster, type Cluster } from "./cluster.js";
import { readPods, readWorkload } from "./cluster-reads.js";
import { workloadKind } from "./render/manifests.js";
import { rolloutState } from "./rollout.js";

/** One row per service from its workload and pods; undefined when nothing of the stack is deployed. */
export async function clusterStatus(project: Project, connected?: Cluster): Promise<ServiceStatus[] | undefined> {
  const cluster = connected ?? (await connectCluster(project));
  const rows: ServiceStatus[] = [];
  for (const service of Object.values(project.stack.services)) {
    // The rule manifests.ts renders with (workloadKind), on the same data path the container facts carry.
    const kind = workloadKind({ dataPath: containerDataPath(service) });
    const workload =
      (await readWorkload(cluster, kind, service.name)) ??
      (await readWorkload(cluster, kind === "Deployment" ? "StatefulSet" : "Deployment", service.name));
    if (!workload) continue;
    const pods = await readPods(cluster, project.stack.name, service.name);
    const state = rolloutState(workload, pods, Number.POSITIVE_INFINITY);
    const containers = pods.flatMap((p) => p.status?.containerStatuses ?? []);
    // The contract's record (no pid: pods run elsewhere), made a status by the one statusOf every runtime uses.
    const record: ServiceRecord = {
      state: state.fatal ? "failed" : state.done ? "running" : "starting",
      health: state.done ? "healthy" : state.fatal ? "unhealthy" : "unknown",
      pid: 0,
      startedAt: pods[0]?.status?.startTime ? new Date(pods[0].status.startTime).toISOString() : "",
      restarts: containers.reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
      ports: service.ports,
      ...(state.done ? {} : { lastError: state.fatal ?? state.message }),
    };
    rows.push(statusOf(service.name, record));
  }
  return rows.length > 0 ? rows : undefined;
}
