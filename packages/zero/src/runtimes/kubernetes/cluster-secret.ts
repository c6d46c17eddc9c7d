import type { Secret } from "kubernetes-types/core/v1.js";
import { forbidden, httpStatusOf, type Cluster } from "./cluster.js";
import type { ForeignSecret } from "./render/foreign-secret.js";
import { FIELD_MANAGER } from "./render/labels.js";

/**
 * Reads the stack's Secret. One zero applied (label managed-by=zero) is zero's to update from .env; any other
 * (a platform team's, External Secrets', a Helm release's) is left alone and its values are what the pods get.
 */
export async function readForeignSecret(cluster: Cluster, name: string): Promise<ForeignSecret | undefined> {
  let secret: Secret;
  try {
    secret = (await cluster.core.readNamespacedSecret({ name, namespace: cluster.namespace })) as Secret;
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    if (httpStatusOf(error) === 403) throw forbidden(cluster, `read Secret ${name}`, error);
    throw error;
  }
  const managedBy = secret.metadata?.labels?.["app.kubernetes.io/managed-by"];
  if (managedBy === FIELD_MANAGER) return undefined;
  const managers = (secret.metadata?.managedFields ?? []).map((f) => f.manager).filter(Boolean);
  const values = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]),
  );
  return { name, values, owner: managedBy ?? managers[0] ?? "someone else" };
}
