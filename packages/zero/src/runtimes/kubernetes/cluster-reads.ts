import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Event, Pod } from "kubernetes-types/core/v1.js";
import { forbidden, httpStatusOf, type Cluster } from "./cluster.js";
import { selectorFor } from "./render/labels.js";
import type { StackObject } from "./render/manifests.js";
import { eventLines } from "./rollout.js";

export type Workload = Deployment | StatefulSet;

/** The workload of a service as the cluster has it (undefined if it does not exist). */
export async function readWorkload(cluster: Cluster, kind: string, name: string): Promise<Workload | undefined> {
  try {
    const request = { name, namespace: cluster.namespace };
    const found =
      kind === "StatefulSet"
        ? await cluster.apps.readNamespacedStatefulSet(request)
        : await cluster.apps.readNamespacedDeployment(request);
    return { ...(found as object), kind } as Workload;
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    if (httpStatusOf(error) === 403) throw forbidden(cluster, `read ${kind} ${name}`, error);
    throw error;
  }
}

/** A service's pods, newest first. */
export async function readPods(cluster: Cluster, stack: string, service: string): Promise<Pod[]> {
  const labelSelector = Object.entries(selectorFor(stack, service))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const list = await cluster.core.listNamespacedPod({ namespace: cluster.namespace, labelSelector });
  return ((list.items ?? []) as Pod[]).sort(
    (a, b) => Date.parse(b.metadata?.creationTimestamp ?? "") - Date.parse(a.metadata?.creationTimestamp ?? ""),
  );
}

/** Events of the workload and its pods, then the last log lines of its newest pod: what `kubectl describe` and `logs` would show. */
export async function eventsAndLogTail(
  cluster: Cluster,
  stack: string,
  service: string,
  lines: number,
  container = service,
): Promise<string[]> {
  const pods = await readPods(cluster, stack, service).catch(() => []);
  const names = new Set([service, ...pods.map((p) => p.metadata?.name ?? "")]);
  const events = await cluster.core
    .listNamespacedEvent({ namespace: cluster.namespace })
    .then((list) => eventLines(list.items as Event[], names).slice(-10))
    .catch(() => []);
  const newest = pods[0]?.metadata?.name;
  const log = newest ? await podLog(cluster, newest, container, lines) : [];
  const of = container === service ? `pod ${newest}` : `container ${container} of pod ${newest}`;
  return [
    ...(events.length > 0 ? ["Events:", ...events.map((e) => `  ${e}`)] : []),
    ...(log.length > 0 ? [`Last ${log.length} log lines of ${of}:`, ...log.map((l) => `  ${l}`)] : []),
  ];
}

export async function podLog(
  cluster: Cluster,
  pod: string,
  container: string,
  lines: number,
  previous = false,
): Promise<string[]> {
  try {
    const text = await cluster.core.readNamespacedPodLog({
      name: pod,
      namespace: cluster.namespace,
      container,
      tailLines: lines,
      previous,
    });
    return String(text)
      .split("\n")
      .filter((line) => line.trim());
  } catch {
    return previous ? [] : podLog(cluster, pod, container, lines, true); // a crashed container's log is the previous one
  }
}

/** The kind of a service's workload in a plan. */
export function workloadOf(objects: StackObject[]): StackObject | undefined {
  return objects.find((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
}
