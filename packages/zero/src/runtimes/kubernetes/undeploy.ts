import type { Project } from "../../config/project.js";
import type { EventSink } from "../../orchestrate/events.js";
import type { DownOptions, DownResult } from "../runtime.js";
import { removeObject } from "./apply-objects.js";
import { connectCluster, forbidden, httpStatusOf } from "./cluster.js";
import { readWorkload, workloadOf } from "./cluster-reads.js";
import { readForeignSecret } from "./cluster-secret.js";
import { stopForwarder } from "./forwarder-process.js";
import { deployPlan } from "./render/deploy-plan.js";
import { stackSecretName } from "./render/kustomize-folder.js";

/** `make down runtime=kubernetes`: deletes what the deploy applied; the PVCs (the data) stay unless volumes=1. */
export async function undeploy(project: Project, onEvent: EventSink, options: DownOptions = {}): Promise<DownResult> {
  await stopForwarder(project);
  const cluster = await connectCluster(project);
  // A Secret zero did not create stays, like the namespace.
  const foreign = await readForeignSecret(cluster, stackSecretName(project.stackFile));
  const plan = deployPlan(project, cluster.namespace, {}, foreign);
  if (foreign)
    onEvent({ type: "note", message: `Left the Secret ${foreign.name} (managed by ${foreign.owner}) in place.` });
  const removeData = Boolean(options.volumes || project.stackFile.profiles[project.profile]?.ephemeral);
  const stopped: string[] = [];
  for (const [service, objects] of Object.entries(plan.byService).reverse()) {
    const workload = workloadOf(objects);
    if (workload && (await readWorkload(cluster, workload.kind!, service))) {
      onEvent({ type: "stopping", service });
      stopped.push(service);
    }
    for (const object of objects) await removeObject(cluster, object);
  }
  // Not the Namespace: it holds the PVCs.
  for (const object of plan.shared.filter((o) => o.kind !== "Namespace")) await removeObject(cluster, object);
  if (removeData) {
    const labelSelector = `app.kubernetes.io/instance=${project.stack.name}`;
    await cluster.core
      .deleteCollectionNamespacedPersistentVolumeClaim({ namespace: cluster.namespace, labelSelector })
      .catch((error) => {
        if (httpStatusOf(error) === 403) throw forbidden(cluster, "delete PersistentVolumeClaims", error);
        if (httpStatusOf(error) !== 404) throw error;
      });
    onEvent({
      type: "note",
      message: `Deleted the PersistentVolumeClaims of ${project.stack.name} in ${cluster.namespace}.`,
    });
  }
  return { stopped, nothingRunning: stopped.length === 0, orphansStopped: [], dataRemoved: removeData };
}
