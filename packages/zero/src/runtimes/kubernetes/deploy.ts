import type { Project } from "../../config/project.js";
import type { DockerClient } from "../../docker/docker-client.js";
import { ZeroError } from "../../errors/zero-error.js";
import type { Probe } from "../../health/probes.js";
import type { EventSink } from "../../orchestrate/events.js";
import { startAll, type ServiceDriver } from "../../orchestrate/start-all.js";
import type { Service } from "../../stack/schema.js";
import type { DownOptions, DownResult, UpResult } from "../runtime.js";
import { connectCluster, describe, forbidden, statusOf, type Cluster } from "./cluster.js";
import { eventsAndLogTail, readWorkload, workloadOf } from "./cluster-reads.js";
import { deployPlan, FIELD_MANAGER, type DeployPlan } from "./render/deploy-plan.js";
import { runFacts } from "./render/container-facts.js";
import { prepareImages } from "./images.js";
import { forwardTargets, startForwarder, stopForwarder } from "./forwarder-process.js";
import { MIGRATE_CONTAINER } from "./render/manifests.js";
import type { RolloutState } from "./rollout.js";
import { RolloutWatch } from "./rollout-watch.js";
import { readForeignSecret } from "./cluster-secret.js";
import { differingKeys, type ForeignSecret } from "./render/foreign-secret.js";
import { secretName } from "./render/kustomize-folder.js";
import { secretValues } from "../../containers/index.js";
import { clusterStatus } from "./status.js";

/** Timings; the tests against the protocol fake shorten them (and run without the detached port-forwarder). */
export interface DeployTimings {
  /** Forward the stack's ports to 127.0.0.1 once healthy (a detached process, until `make down`). */
  forward: boolean;
  deadlineMs: number;
  pollMs: number;
  /** How long a pod may stay unschedulable (a PVC being provisioned) before that is a failure. */
  pendingGraceMs: number;
}

const TIMINGS: DeployTimings = { forward: true, deadlineMs: 300_000, pollMs: 1_000, pendingGraceMs: 20_000 };

/**
 * `make deploy` / `make dev runtime=kubernetes`: server-side apply of the shared objects, then each service
 * through the same orchestrator as native and compose ("started" = applied, "healthy" = rollout complete and
 * pods Ready), failing fast on states that waiting cannot fix.
 */
export async function deploy(
  project: Project,
  onEvent: EventSink,
  docker: DockerClient,
  timings: DeployTimings = TIMINGS,
): Promise<UpResult> {
  const cluster = await connectCluster(project);
  const images = await prepareImages(project, cluster.context, runFacts(project), onEvent, docker);
  const foreign = await readForeignSecret(cluster, secretName(project.stackFile));
  const plan = deployPlan(project, cluster.namespace, images, foreign);
  if (foreign) noteForeignSecret(project, foreign, onEvent);
  onEvent({
    type: "note",
    message: `Kubernetes: context "${cluster.context}" (${cluster.server}), namespace ${cluster.namespace}; applying with server-side apply...`,
  });
  await apply(cluster, plan.shared);
  const driver = new RolloutDriver(cluster, project, plan, timings);
  try {
    await startAll(project.stack.services, driver, {
      deadlineMs: timings.deadlineMs,
      signal: new AbortController().signal,
      onEvent,
    });
  } finally {
    driver.close();
  }
  if (timings.forward) {
    const targets = forwardTargets(project, runFacts(project));
    await startForwarder(project, cluster, targets);
    onEvent({
      type: "note",
      message: `Forwarding ${targets.map((t) => `127.0.0.1:${t.localPort} → ${t.service}`).join(", ")} (until make down).`,
    });
  }
  return { alreadyRunning: false, services: (await clusterStatus(project, cluster)) ?? [] };
}

function noteForeignSecret(project: Project, secret: ForeignSecret, onEvent: EventSink): void {
  onEvent({
    type: "note",
    message: `Using the Secret ${secret.name} that is already in the cluster (managed by ${secret.owner}) as it is: zero does not overwrite a Secret it did not create, so .env's passwords are not sent.`,
  });
  const differing = differingKeys(secret, secretValues(project));
  if (differing.length > 0)
    onEvent({
      type: "note",
      message: `Its ${differing.join(", ")} differ(s) from .env's: make migrate, make seed and psql reach the cluster through the port-forwards with .env's password and will be refused until .env has the cluster's (docs/kubernetes.md#secrets).`,
    });
}

/** Server-side apply, one object at a time, as field manager "zero" (taking over fields another manager set). */
export async function apply(cluster: Cluster, objects: object[]): Promise<void> {
  for (const object of objects) {
    const { kind, metadata } = object as { kind: string; metadata: { name: string } };
    try {
      await cluster.objects.patch(
        object as never,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        cluster.k8s.PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      if (statusOf(error) === 403) throw forbidden(cluster, `apply ${kind} ${metadata.name}`, error);
      throw new ZeroError("ZERO_SERVICE_FAILED", `The cluster refused ${kind} ${metadata.name}: ${describe(error)}.`, {
        next: "The object is generated from stack.yaml; run `make k8s-files` and the tests, or report the message above.",
        cause: error,
      });
    }
  }
}

/**
 * Starts a service by applying its objects; healthy once its rollout completes. Each service's workload and
 * pods are watched (rollout-watch.ts): the probe and the fail-fast check read the watched state, not the API.
 */
class RolloutDriver implements ServiceDriver {
  private readonly closed = new AbortController();
  private readonly watches = new Map<string, RolloutWatch>();

  constructor(
    private readonly cluster: Cluster,
    private readonly project: Project,
    private readonly plan: DeployPlan,
    private readonly timings: DeployTimings,
  ) {}

  async start(service: Service): Promise<void> {
    await apply(this.cluster, this.plan.byService[service.name] ?? []);
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

/** `make down runtime=kubernetes`: deletes what the deploy applied; the PVCs (the data) stay unless volumes=1. */
export async function undeploy(project: Project, onEvent: EventSink, options: DownOptions = {}): Promise<DownResult> {
  await stopForwarder(project);
  const cluster = await connectCluster(project);
  // A Secret zero did not create stays, like the namespace.
  const foreign = await readForeignSecret(cluster, secretName(project.stackFile));
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
    for (const object of objects) await remove(cluster, object);
  }
  // Not the Namespace: it holds the PVCs.
  for (const object of plan.shared.filter((o) => o.kind !== "Namespace")) await remove(cluster, object);
  if (removeData) {
    const labelSelector = `app.kubernetes.io/instance=${project.stack.name}`;
    await cluster.core
      .deleteCollectionNamespacedPersistentVolumeClaim({ namespace: cluster.namespace, labelSelector })
      .catch((error) => {
        if (statusOf(error) === 403) throw forbidden(cluster, "delete PersistentVolumeClaims", error);
        if (statusOf(error) !== 404) throw error;
      });
    onEvent({
      type: "note",
      message: `Deleted the PersistentVolumeClaims of ${project.stack.name} in ${cluster.namespace}.`,
    });
  }
  return { stopped, nothingRunning: stopped.length === 0, orphansStopped: [], dataRemoved: removeData };
}

async function remove(cluster: Cluster, object: object): Promise<void> {
  try {
    await cluster.objects.delete(object as never, undefined, undefined, undefined, undefined, "Background");
  } catch (error) {
    if (statusOf(error) === 404) return;
    const { kind, metadata } = object as { kind: string; metadata: { name: string } };
    if (statusOf(error) === 403) throw forbidden(cluster, `delete ${kind} ${metadata.name}`, error);
    throw error;
  }
}

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
      if (statusOf(error) === 403) throw forbidden(cluster, `restart ${service}`, error);
      throw error;
    });
}
