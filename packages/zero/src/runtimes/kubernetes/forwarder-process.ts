import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { isSameProcess, processStartTime } from "../../processes/process-info.js";
import { spawnDetached } from "../../processes/spawn-detached.js";
import type { Cluster } from "./cluster.js";
import type { ContainerFacts } from "./render/container-facts.js";
import type { ForwardRequest } from "./forward-main.js";
import type { ForwardTarget } from "./port-forward.js";

const STATE = "k8s-forward.json";

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
  stopForwarder(project);
  const child = spawnDetached(
    new URL("./k8s-forward.js", import.meta.url),
    join(project.home, "logs", "k8s-forward.log"),
    project.root,
  );
  const request: ForwardRequest = {
    context: cluster.context,
    namespace: cluster.namespace,
    stack: project.stack.name,
    targets,
  };
  child.send(request);
  const answer = await new Promise<{ ready?: boolean; error?: string }>((resolve) => {
    child.once("message", (message) => resolve(message as { ready?: boolean; error?: string }));
    child.once("exit", (code) => resolve({ error: `the port-forwarder exited with code ${code}` }));
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if (!answer.ready) {
    throw new ZeroError("ZERO_PORT_IN_USE", `Could not forward the stack's ports to 127.0.0.1: ${answer.error}.`, {
      next: "Stop what holds the port (make down for a native or compose stack), or pick other ports in .env, then `make deploy` again.",
    });
  }
  // With its start time, so a later stop never signals another process that reused the pid.
  const record = {
    pid: child.pid,
    startTime: child.pid ? processStartTime(child.pid) : undefined,
    namespace: cluster.namespace,
  };
  writeFileSync(join(project.home, STATE), JSON.stringify(record), {
    mode: 0o600,
  });
}

/** Stops the port-forwarder of this project, if one runs (the recorded process itself, never a reuser of its pid). */
export function stopForwarder(project: Pick<Project, "home">): boolean {
  const file = join(project.home, STATE);
  let recorded: { pid?: number; startTime?: string };
  try {
    recorded = JSON.parse(readFileSync(file, "utf8")) as { pid?: number; startTime?: string };
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  const { pid, startTime } = recorded;
  if (!pid || !startTime || !isSameProcess(pid, startTime)) return false;
  try {
    process.kill(pid, "SIGTERM");
    return true;
  } catch {
    return false; // already gone
  }
}
