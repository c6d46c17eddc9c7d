import type { ObjectMeta } from "kubernetes-types/meta/v1.js";

/** zero's server-side apply field manager, and its app.kubernetes.io/managed-by label on what it applies. */
export const FIELD_MANAGER = "zero";

/** The app.kubernetes.io labels every object carries; the selector is the stable subset (name + instance). */
export function labelsFor(stack: string, service: string | undefined, managedBy: string): Record<string, string> {
  return {
    ...(service ? selectorFor(stack, service) : { "app.kubernetes.io/instance": stack }),
    "app.kubernetes.io/part-of": stack,
    "app.kubernetes.io/managed-by": managedBy,
  };
}

/** What a Service, a workload and a NetworkPolicy select one service's pods by. */
export function selectorFor(stack: string, service: string): Record<string, string> {
  return { "app.kubernetes.io/name": service, "app.kubernetes.io/instance": stack };
}

export function metadata(name: string, labels: Record<string, string>, namespace?: string): ObjectMeta {
  return { name, ...(namespace ? { namespace } : {}), labels };
}
