import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { Probe } from "../../health/probes.js";
import type { ServiceDriver } from "../../orchestrate/start-all.js";
import type { Service } from "../../stack/schema.js";
import { applyObjects } from "./apply-objects.js";
import type { Cluster } from "./cluster.js";
import { eventsAndLogTail, workloadOf } from "./cluster-reads.js";
import type { DeployPlan } from "./render/deploy-plan.js";
import { MIGRATE_CONTAINER } from "./render/manifests.js";
import type { RolloutState } from "./rollout.js";
import { RolloutWatch } from "./rollout-watch.js";

/** How often the rollout is checked, and how long a pod may stay unschedulable (a PVC being provisioned). */
export interface RolloutTimings {
  pollMs: number;
  pendingGraceMs: number;
}

/**
 * Starts a service by applying its objects; healthy once its rollout completes. Each service's workload and
 * pods are watched (rollout-watch.ts): the probe and the fail-fast check read the watched state, not the API.
 */
export class RolloutDriver implements ServiceDriver {
  private readonly closed = new AbortController();
  private readonly watches = new Map<string, RolloutWatch>();

  constructor(
    private readonly cluster: Cluster,
    private readonly project: Project,
    private readonly plan: DeployPlan,
    private readonly timings: RolloutTimings,
  ) {}

  async start(service: Service): Promise<void> {
    await applyObjects(this.cluster, this.plan.byService[service.name] ?? []);
    const kind = workloadOf(this.plan.byService[service.name] ?? [])?.kind ?? "Deployment";
    this.watches.set(
      service.name,
      new RolloutWatch(this.cluster, this.project.stack.name, service.name, kind, this.timings.pollMs),
    );
  }

  probe(service: Service): Probe {
    return async () => {
      const state = this.state(service);
      if (!state.done) throw new Error(state.message);
    };
  }

  /**
   * Rejects as soon as the rollout cannot succeed by waiting (the orchestrator then stops everything): on each
   * watch event, and every pollMs for what only time changes (how long a pod has been unschedulable).
   */
  async exited(service: Service): Promise<string> {
    const watch = this.watches.get(service.name)!;
    if (this.closed.signal.aborted) return new Promise(() => {});
    const fatal = await new Promise<{ message: string; container?: string } | Error | undefined>((resolve) => {
      let settled = false;
      const finish = (value: { message: string; container?: string } | Error | undefined) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(timer);
        this.closed.signal.removeEventListener("abort", onClose);
        resolve(value);
      };
      const onClose = () => finish(undefined);
      const check = () => {
        if (watch.refused) return finish(watch.refused);
        const state = this.state(service);
        if (state.fatal) finish({ message: state.fatal, container: state.container });
      };
      const unsubscribe = watch.onChange(check);
      const timer = setInterval(check, this.timings.pollMs);
      this.closed.signal.addEventListener("abort", onClose, { once: true });
      check();
    });
    if (fatal === undefined) return new Promise(() => {}); // closed: the stack is up
    if (fatal instanceof Error) throw fatal;
    const details = await eventsAndLogTail(this.cluster, this.project.stack.name, service.name, 20, fatal.container);
    throw new ZeroError("ZERO_SERVICE_FAILED", `${service.name} cannot become ready: ${fatal.message}.`, {
      details: details.length > 0 ? details : ["The cluster reports no events and the container wrote no log yet."],
      next: nextStep(fatal.message, service.name, fatal.container),
    });
  }

  async logTail(service: Service, lines: number): Promise<string[]> {
    return eventsAndLogTail(this.cluster, this.project.stack.name, service.name, lines);
  }

  close() {
    this.closed.abort();
    for (const watch of this.watches.values()) watch.close();
  }

  private state(service: Service) {
    const watch = this.watches.get(service.name);
    if (!watch) return { ready: 0, wanted: 1, done: false, message: `${service.name} not applied yet` } as RolloutState;
    return watch.state(this.timings.pendingGraceMs);
  }
}

function nextStep(fatal: string, service: string, container?: string): string {
  if (container === MIGRATE_CONTAINER)
    return "The migrations failed and were rolled back; the pods from before keep serving. The log lines above name the migration and PostgreSQL's reason: fix it (`make migrate` runs the same code against a local stack), rebuild, then `make deploy` again.";
  if (/ImagePull|ErrImage|InvalidImageName/.test(fatal))
    return `Build the image into the cluster's image store (docs/kubernetes.md#images), or set ZERO_IMAGE_REGISTRY and push it; then \`make deploy\` again.`;
  if (/cannot be scheduled/.test(fatal))
    return "No node has room for the pod, or its PersistentVolumeClaim cannot be bound (no default StorageClass?): see the events above; `kubectl get pvc,nodes` shows more.";
  if (/ProgressDeadlineExceeded/.test(fatal))
    return `See the events above; \`kubectl -n <namespace> describe deployment ${service}\` shows more.`;
  return `Read the log lines above (the container's last run); fix the cause, then \`make deploy\` again.`;
}
