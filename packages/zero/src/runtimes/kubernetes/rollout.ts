import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Event, Pod } from "kubernetes-types/core/v1.js";

/** Where a service's rollout stands: how many pods are ready, and whether waiting longer can help. */
export interface RolloutState {
  ready: number;
  wanted: number;
  /** The rollout is complete and every pod Ready. */
  done: boolean;
  /** "0/1 pods ready" plus why, for the orchestrator's live line. */
  message: string;
  /** Set when waiting cannot help (a crash loop, an image that cannot be pulled, no node fits): fail now. */
  fatal?: string;
  /** The container whose log explains the failure (the init container when the migrations failed). */
  container?: string;
}

/** Waiting reasons of a container that only a change (of image, code or configuration) can fix. */
const FATAL_WAITING = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
]);

/**
 * Reads a workload and its pods as `kubectl rollout status` does (observed generation, updated and ready
 * replicas), and spots the states that never resolve on their own. `pendingSinceMs`: how long the oldest
 * unschedulable pod has been so (a PVC being provisioned is briefly unschedulable; a missing one stays so).
 */
export function rolloutState(
  workload: Deployment | StatefulSet,
  pods: Pod[],
  pendingGraceMs: number,
  now = Date.now(),
): RolloutState {
  const wanted = workload.spec?.replicas ?? 1;
  const status = workload.status ?? {};
  const ready = status.readyReplicas ?? 0;
  const observed = (status.observedGeneration ?? 0) >= (workload.metadata?.generation ?? 0);
  const updated =
    workload.kind === "StatefulSet"
      ? (status as StatefulSet["status"])?.currentRevision === (status as StatefulSet["status"])?.updateRevision ||
        (status.updatedReplicas ?? 0) >= wanted
      : (status.updatedReplicas ?? 0) >= wanted;
  const done = observed && updated && ready >= wanted && (status.replicas ?? 0) <= wanted;
  const base = `${ready}/${wanted} pods ready`;
  const deadline = (workload as Deployment).status?.conditions?.find(
    (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded",
  );
  if (deadline)
    return {
      ready,
      wanted,
      done: false,
      message: base,
      fatal: `the rollout exceeded its progress deadline (ProgressDeadlineExceeded): ${deadline.message ?? ""}`.trim(),
    };
  for (const pod of pods) {
    const name = pod.metadata?.name ?? "?";
    const init = initContainerState(pod, base);
    if (init) return { ready, wanted, done: false, ...init };
    for (const container of pod.status?.containerStatuses ?? []) {
      const waiting = container.state?.waiting;
      if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
        const exit = container.lastState?.terminated;
        const exited = exit ? ` (last exit code ${exit.exitCode}${exit.reason ? `, ${exit.reason}` : ""})` : "";
        return {
          ready,
          wanted,
          done: false,
          message: `${base}: ${waiting.reason}`,
          fatal: `pod ${name} is in ${waiting.reason}${exited}: ${waiting.message ?? ""}`.replace(/: $/, ""),
        };
      }
    }
    const unschedulable = pod.status?.conditions?.find(
      (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
    );
    if (unschedulable) {
      const since = Date.parse(unschedulable.lastTransitionTime ?? pod.metadata?.creationTimestamp ?? "") || now;
      const message = `${base}: pod ${name} is Pending (${unschedulable.message ?? "Unschedulable"})`;
      if (now - since >= pendingGraceMs)
        return {
          ready,
          wanted,
          done: false,
          message,
          fatal: `pod ${name} cannot be scheduled: ${unschedulable.message ?? "Unschedulable"}`,
        };
      return { ready, wanted, done: false, message };
    }
  }
  const waitingOn = pods.flatMap((pod) =>
    (pod.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).filter(Boolean),
  );
  return {
    ready,
    wanted,
    done,
    message: waitingOn.length > 0 ? `${base} (${[...new Set(waitingOn)].join(", ")})` : base,
  };
}

/**
 * An init container (the migrations) that failed or is still running. A failed migration was rolled back and
 * will fail the same way again (the step itself waits out an unreachable database), so its first non-zero exit
 * is final: the kubelet's retries would only delay the answer.
 */
function initContainerState(pod: Pod, base: string): Omit<RolloutState, "ready" | "wanted" | "done"> | undefined {
  const name = pod.metadata?.name ?? "?";
  for (const init of pod.status?.initContainerStatuses ?? []) {
    const exit = [init.state?.terminated, init.lastState?.terminated].find((t) => t && t.exitCode !== 0);
    if (exit)
      return {
        message: `${base}: init container ${init.name} failed`,
        fatal: `init container ${init.name} of pod ${name} failed (exit code ${exit.exitCode}${exit.reason ? `, ${exit.reason}` : ""})`,
        container: init.name,
      };
    if (init.state?.running) return { message: `${base}: init container ${init.name} running` };
    if (
      init.state?.waiting &&
      init.state.waiting.reason !== "PodInitializing" &&
      FATAL_WAITING.has(init.state.waiting.reason ?? "")
    )
      return {
        message: `${base}: ${init.state.waiting.reason}`,
        fatal:
          `init container ${init.name} of pod ${name} is in ${init.state.waiting.reason}: ${init.state.waiting.message ?? ""}`.replace(
            /: $/,
            "",
          ),
        container: init.name,
      };
  }
  return undefined;
}

/** The events of the objects that matter, oldest first, one line each (kubectl describe's table). */
export function eventLines(events: Event[], names: Set<string>): string[] {
  return events
    .filter((e) => names.has(e.involvedObject?.name ?? ""))
    .sort((a, b) => Date.parse(a.lastTimestamp ?? a.eventTime ?? "") - Date.parse(b.lastTimestamp ?? b.eventTime ?? ""))
    .map((e) =>
      `${e.type ?? "Normal"} ${e.reason ?? ""} ${e.involvedObject?.kind ?? ""}/${e.involvedObject?.name ?? ""}: ${e.message ?? ""}`.trim(),
    );
}
