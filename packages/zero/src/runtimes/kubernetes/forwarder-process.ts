import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import {
  logTailDetails,
  readHelperRecord,
  startHelper,
  stopHelper,
  whyNotReady,
  writeHelperRecord,
} from "../../processes/helper-process.js";
import type { Cluster } from "./cluster.js";
import type { ContainerFacts } from "./render/container-facts.js";
import type { ForwardRequest } from "./k8s-forward-main.js";
import type { ForwardTarget } from "./port-forward.js";

const STATE = "k8s-forward.json";

/** Connecting to the cluster and opening every port: far less, unless the API server does not answer. */
const READY_DEADLINE_MS = 60_000;

/** It exits at once on SIGTERM; SIGKILL after this. */
const STOP_GRACE_MS = 3_000;

/** The local port (the stack's port, e.g. API_PORT) → container port pairs of every service. */
export function forwardTargets(project: Project, facts: ContainerFacts[]): ForwardTarget[] {
  return facts.flatMap((f) =>
    f.ports.flatMap(({ name, port }) => {
      const local = project.stack.services[f.name]?.ports[name];
      return local ? [{ service: f.name, localPort: local, remotePort: port }] : [];
    }),
  );
}

/** Starts the detached port-forwarder (replacing an earlier one) and waits until its ports listen. */
export async function startForwarder(project: Project, cluster: Cluster, targets: ForwardTarget[]): Promise<void> {
  await stopForwarder(project);
  const request: ForwardRequest = {
    context: cluster.context,
    namespace: cluster.namespace,
    stack: project.stack.name,
    targets,
  };
  const start = await startHelper<{ ready?: boolean; error?: string }, string>({
    entry: new URL("./k8s-forward.js", import.meta.url),
    logPath: join(project.home, "logs", "k8s-forward.log"),
    cwd: project.root,
    plan: request,
    answer: (message) => (message.ready ? { ready: true } : { failed: message.error ?? "no reason given" }),
    deadlineMs: READY_DEADLINE_MS,
  });
  if (!start.ready) {
    const why = start.why === "failed" ? start.failure : whyNotReady(start, "the port-forwarder");
    throw new ZeroError("ZERO_PORT_IN_USE", `Could not forward the stack's ports to 127.0.0.1: ${why}.`, {
      next: "Stop what holds the port (make down for a native or compose stack), or pick other ports in .env, then `make deploy` again.",
      details: start.why === "failed" ? [] : logTailDetails(start), // a failure it reports says why itself
    });
  }
  writeHelperRecord(join(project.home, STATE), start.helper, { namespace: cluster.namespace });
}

/**
 * Stops the port-forwarder of this project, if one runs (the recorded process itself, never a reuser of its pid);
 * true if it ran.
 */
export async function stopForwarder(project: Pick<Project, "home">): Promise<boolean> {
  const file = join(project.home, STATE);
  const recorded = readHelperRecord(file);
  rmSync(file, { force: true });
  return (await stopHelper(recorded, { graceMs: STOP_GRACE_MS })).wasRunning;
}
