import { createHash } from "node:crypto";
import type { Namespace, Secret } from "kubernetes-types/core/v1.js";
import type { Project } from "../../../config/project.js";
import { secretEnvValues, secretValues } from "../../../containers/index.js";
import { checkObjects } from "./check-objects.js";
import { assertKeys, type ForeignSecret } from "./foreign-secret.js";
import { runFacts, secretKeysOf, usesSecret } from "./container-facts.js";
import { localImage } from "./image-names.js";
import { stackSecretName } from "./kustomize-folder.js";
import { labelsFor } from "./labels.js";
import { stackObjects, type StackObject } from "./manifests.js";

export { FIELD_MANAGER } from "./labels.js";
export const SECRETS_HASH = "zero.dev/secrets-hash";

/** Everything one deploy applies, in the order it applies it. */
export interface DeployPlan {
  namespace: string;
  /** Namespace, Secret and NetworkPolicies: applied before any workload. */
  shared: (Namespace | Secret | StackObject)[];
  /** Each service's Service and workload, applied when the orchestrator starts that service. */
  byService: Record<string, StackObject[]>;
}

/**
 * The objects of a deploy: the same generator as the committed files, with this project's values (images
 * from .env, the Secret from .env's passwords) and a hash of the secrets on every pod template, so a rotated
 * password rolls the pods. Checked like the committed files before anything is sent.
 */
export function deployPlan(
  project: Project,
  namespace: string,
  images: Record<string, string> = {},
  foreignSecret?: ForeignSecret,
): DeployPlan {
  const facts = runFacts(project);
  // A Secret someone else manages is used as it is (not applied); its values make the hash, so rotating it rolls the pods.
  if (foreignSecret) assertKeys(foreignSecret, secretKeysOf(facts), namespace);
  // The passwords mounted as files and the declared secrets taken into environments: both keys of the one Secret.
  const values = foreignSecret?.values ?? { ...secretValues(project), ...secretEnvValues(project) };
  const hash = createHash("sha256")
    .update(JSON.stringify(Object.entries(values).sort()))
    .digest("hex")
    .slice(0, 16);
  const name = stackSecretName(project.stackFile);
  const objects = stackObjects(project.stackFile, facts, {
    namespace,
    managedBy: "zero",
    // Built images as prepareImages made them available (a registry's content tag), else the local tag.
    image: (f) => images[f.name] ?? localImage(f),
    pullPolicy: "IfNotPresent",
    storage: () => "1Gi",
    secretName: name,
    podAnnotations: (f): Record<string, string> => (usesSecret(f) ? { [SECRETS_HASH]: hash } : {}),
  });
  const labels = labelsFor(project.stack.name, undefined, "zero");
  const secret: Secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, labels },
    type: "Opaque",
    stringData: values,
  };
  const ns: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels } };
  checkObjects([...(foreignSecret ? [] : [secret]), ...objects], {
    secretValues: Object.values(values).filter((v) => v.length >= 4),
    deployTimeSecrets: foreignSecret ? [name] : [],
  }).throwIfAny();
  return {
    namespace,
    shared: [ns, ...(foreignSecret ? [] : [secret]), ...objects.filter((o) => o.kind === "NetworkPolicy")],
    byService: Object.fromEntries(
      facts.map((f) => [f.name, objects.filter((o) => o.kind !== "NetworkPolicy" && o.metadata?.name === f.name)]),
    ),
  };
}
