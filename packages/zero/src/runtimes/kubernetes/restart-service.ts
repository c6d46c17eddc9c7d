import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { connectCluster, forbidden, httpStatusOf } from "./cluster.js";
import { workloadOf } from "./cluster-reads.js";
import { deployPlan, FIELD_MANAGER } from "./render/deploy-plan.js";

/** `zero restart <service>`: a new rollout of the same spec (what `kubectl rollout restart` does). */
export async function restartService(project: Project, service: string): Promise<void> {
  const cluster = await connectCluster(project);
  const workload = workloadOf(deployPlan(project, cluster.namespace).byService[service] ?? []);
  if (!workload) throw new ZeroError("ZERO_USAGE", `There is no service "${service}" in this profile.`);
  const patch = {
    apiVersion: workload.apiVersion,
    kind: workload.kind,
    metadata: { name: service, namespace: cluster.namespace },
    spec: {
      template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": new Date().toISOString() } } },
    },
  };
  await cluster.objects
    .patch(
      patch as never,
      undefined,
      undefined,
      FIELD_MANAGER,
      undefined,
      cluster.k8s.PatchStrategy.StrategicMergePatch,
    )
    .catch((error) => {
      if (httpStatusOf(error) === 403) throw forbidden(cluster, `restart ${service}`, error);
      throw error;
    });
}
