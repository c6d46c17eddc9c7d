import type { Project } from "../../config/project.js";
import { secretValues } from "../../containers/index.js";
import type { DockerClient } from "../../docker/docker-client.js";
import type { EventSink } from "../../orchestrate/events.js";
import { startAll } from "../../orchestrate/start-all.js";
import type { UpResult } from "../runtime.js";
import { applyObjects } from "./apply-objects.js";
import { connectCluster } from "./cluster.js";
import { readForeignSecret } from "./cluster-secret.js";
import { forwardTargets, startForwarder } from "./forwarder-process.js";
import { prepareImages } from "./images.js";
import { runFacts } from "./render/container-facts.js";
import { deployPlan } from "./render/deploy-plan.js";
import { differingKeys, type ForeignSecret } from "./render/foreign-secret.js";
import { stackSecretName } from "./render/kustomize-folder.js";
import { RolloutDriver, type RolloutTimings } from "./rollout-driver.js";
import { clusterStatus } from "./status.js";

/** Timings; the tests against the protocol fake shorten them (and run without the detached port-forwarder). */
export interface DeployTimings extends RolloutTimings {
  /** Forward the stack's ports to 127.0.0.1 once healthy (a detached process, until `make down`). */
  forward: boolean;
  deadlineMs: number;
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
  const foreign = await readForeignSecret(cluster, stackSecretName(project.stackFile));
  const plan = deployPlan(project, cluster.namespace, images, foreign);
  if (foreign) noteForeignSecret(project, foreign, onEvent);
  onEvent({
    type: "note",
    message: `Kubernetes: context "${cluster.context}" (${cluster.server}), namespace ${cluster.namespace}; applying with server-side apply...`,
  });
  await applyObjects(cluster, plan.shared);
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
