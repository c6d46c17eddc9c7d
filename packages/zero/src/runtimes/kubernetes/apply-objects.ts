import { ZeroError } from "../../errors/zero-error.js";
import { describe, forbidden, httpStatusOf, type Cluster } from "./cluster.js";
import { FIELD_MANAGER } from "./render/labels.js";

/** Server-side apply, one object at a time, as field manager "zero" (taking over fields another manager set). */
export async function applyObjects(cluster: Cluster, objects: object[]): Promise<void> {
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
      if (httpStatusOf(error) === 403) throw forbidden(cluster, `apply ${kind} ${metadata.name}`, error);
      throw new ZeroError("ZERO_SERVICE_FAILED", `The cluster refused ${kind} ${metadata.name}: ${describe(error)}.`, {
        next: "The object is generated from stack.yaml; run `make k8s-files` and the tests, or report the message above.",
        cause: error,
      });
    }
  }
}

/** Deletes one object in the background; one already gone is fine. */
export async function removeObject(cluster: Cluster, object: object): Promise<void> {
  try {
    await cluster.objects.delete(object as never, undefined, undefined, undefined, undefined, "Background");
  } catch (error) {
    if (httpStatusOf(error) === 404) return;
    const { kind, metadata } = object as { kind: string; metadata: { name: string } };
    if (httpStatusOf(error) === 403) throw forbidden(cluster, `delete ${kind} ${metadata.name}`, error);
    throw error;
  }
}
