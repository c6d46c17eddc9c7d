import { ZeroError } from "../../../errors/zero-error.js";

/** The stack's Secret when the cluster already has one that zero did not make: used as it is, never overwritten. */
export interface ForeignSecret {
  name: string;
  /** Its keys' values (decoded), for the pods' hash annotation and the comparison with .env. */
  values: Record<string, string>;
  /** Who manages it, from its labels or managed fields (for the note). */
  owner: string;
}

/** The keys the pods mount must be there: a missing one would leave a pod in ContainerCreating forever. */
export function assertKeys(secret: ForeignSecret, keys: string[], namespace: string): void {
  const missing = keys.filter((key) => !(key in secret.values));
  if (missing.length === 0) return;
  throw new ZeroError(
    "ZERO_CONFIG_INVALID",
    `The Secret ${secret.name} in namespace ${namespace} (managed by ${secret.owner}) has no key ${missing.join(", ")}.`,
    {
      why: "zero uses a Secret it did not create as it is, and never overwrites it; the pods mount these keys as files.",
      next: `Add the key(s) to that Secret (its owner manages it), or delete it to let zero create one from .env: kubectl -n ${namespace} delete secret ${secret.name}.`,
    },
  );
}

/** The keys whose value in the cluster differs from .env's (names only: values are never printed). */
export function differingKeys(secret: ForeignSecret, local: Record<string, string>): string[] {
  return Object.keys(local)
    .filter((key) => key in secret.values && secret.values[key] !== local[key])
    .sort();
}
