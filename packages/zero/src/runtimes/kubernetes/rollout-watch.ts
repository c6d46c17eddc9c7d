import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "kubernetes-types/core/v1.js";
import { forbidden, type Cluster } from "./cluster.js";
import type { Workload } from "./cluster-reads.js";
import { selectorFor } from "./render/labels.js";
import { rolloutState, type RolloutState } from "./rollout.js";

type Item = { metadata?: { name?: string; resourceVersion?: string } };
type ListResult = { items?: Item[]; metadata?: { resourceVersion?: string } };

/**
 * One service's workload and pods as the cluster reports them, kept current by watches (list, then watch from
 * that list's resourceVersion, as an informer does) rather than by polling. A watch that drops (a proxy's idle
 * timeout, an API server restart, 410 Gone) is listed and watched again after `retryMs`.
 */
export class RolloutWatch {
  private workload: Workload | undefined;
  private readonly pods = new Map<string, Pod>();
  private readonly listeners = new Set<() => void>();
  private readonly stopped = new AbortController();
  private readonly watches: AbortController[] = [];
  /** How many times a watch ended and was started again (the tests' dropped-watch case reads it). */
  restarts = 0;
  /** A denial that watching again cannot fix: the driver reports it. */
  refused: Error | undefined;

  constructor(
    private readonly cluster: Cluster,
    stack: string,
    private readonly service: string,
    private readonly kind: string,
    private readonly retryMs: number,
  ) {
    const plural = kind === "StatefulSet" ? "statefulsets" : "deployments";
    const namespace = cluster.namespace;
    const fieldSelector = `metadata.name=${service}`;
    void this.follow(
      `/apis/apps/v1/namespaces/${namespace}/${plural}`,
      { fieldSelector },
      () =>
        kind === "StatefulSet"
          ? cluster.apps.listNamespacedStatefulSet({ namespace, fieldSelector })
          : cluster.apps.listNamespacedDeployment({ namespace, fieldSelector }),
      (items) => (this.workload = items[0] ? ({ ...items[0], kind } as Workload) : undefined),
      (type, item) => (this.workload = type === "DELETED" ? undefined : ({ ...item, kind } as Workload)),
    );
    const labelSelector = Object.entries(selectorFor(stack, service))
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    void this.follow(
      `/api/v1/namespaces/${namespace}/pods`,
      { labelSelector },
      () => cluster.core.listNamespacedPod({ namespace, labelSelector }),
      (items) => {
        this.pods.clear();
        for (const pod of items) this.pods.set(pod.metadata?.name ?? "", pod as Pod);
      },
      (type, item) => {
        if (type === "DELETED") this.pods.delete(item.metadata?.name ?? "");
        else this.pods.set(item.metadata?.name ?? "", item as Pod);
      },
    );
  }

  /** Where the rollout stands now (from the last events: no request). */
  state(pendingGraceMs: number): RolloutState {
    if (!this.workload)
      return { ready: 0, wanted: 1, done: false, message: `${this.kind} ${this.service} not found yet` };
    const pods = [...this.pods.values()].sort(
      (a, b) => Date.parse(b.metadata?.creationTimestamp ?? "") - Date.parse(a.metadata?.creationTimestamp ?? ""),
    );
    return rolloutState(this.workload, pods, pendingGraceMs);
  }

  /** Calls back on every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.stopped.abort();
    for (const watch of this.watches) watch.abort();
  }

  private changed() {
    for (const listener of this.listeners) listener();
  }

  /** List, then watch from the list's version; again after each end, until closed. */
  private async follow(
    path: string,
    query: Record<string, string>,
    list: () => Promise<unknown>,
    replace: (items: Item[]) => void,
    apply: (type: string, item: Item) => void,
  ): Promise<void> {
    const watch = new this.cluster.k8s.Watch(this.cluster.config);
    while (!this.stopped.signal.aborted) {
      try {
        const listed = (await list()) as ListResult;
        if (this.stopped.signal.aborted) return;
        replace(listed.items ?? []);
        this.changed();
        const error = await new Promise<unknown>((resolve) => {
          watch
            .watch(
              path,
              { ...query, resourceVersion: listed.metadata?.resourceVersion, allowWatchBookmarks: true },
              (type: string, object: Item) => {
                if (type === "BOOKMARK" || type === "ERROR") return;
                apply(type, object);
                this.changed();
              },
              resolve,
            )
            .then((controller) => {
              // Closed while it connected: end it now, or it would keep the process alive.
              if (this.stopped.signal.aborted) controller.abort();
              else this.watches.push(controller);
            }, resolve);
        });
        if (statusCode(error) === 403) throw error;
      } catch (error) {
        if (statusCode(error) === 403) {
          this.refused = forbidden(this.cluster, `watch ${path.split("/").at(-1)}`, error);
          this.changed();
          return;
        }
        // Unreachable for a moment, or the watch ended: list and watch again below.
      }
      if (this.stopped.signal.aborted) return;
      this.restarts++;
      await sleep(this.retryMs, undefined, { signal: this.stopped.signal }).catch(() => {});
    }
  }
}

/** A denial, whether from a typed call (ApiException.code) or the watch (statusCode). */
function statusCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | undefined;
  return typeof e?.statusCode === "number" ? e.statusCode : typeof e?.code === "number" ? e.code : undefined;
}
