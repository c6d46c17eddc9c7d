import type { Namespace } from "kubernetes-types/core/v1.js";
import type { StackFile } from "../../../stack/load.js";
import { secretKeysOf, templateFacts, type ContainerFacts } from "./container-facts.js";
import { LOCAL_TAG, localImage } from "./image-names.js";
import { GENERATED_NOTE, yamlDocuments, type GeneratedFile } from "./generated-file.js";
import { labelsFor } from "./labels.js";
import { ingressObjects, stackObjects, type RenderParameters } from "./manifests.js";

export const KUSTOMIZE_DIR = "infrastructure/k8s";

/** The parameters of the committed folder: images by their local tag, the Secret named before kustomize hashes it. */
export function kustomizeParameters(file: StackFile): RenderParameters {
  return {
    managedBy: "kustomize",
    image: localImage,
    pullPolicy: "IfNotPresent",
    storage: () => "1Gi",
    secretName: stackSecretName(file),
    // kustomize's secretGenerator renames the Secret by a hash of its content: a new password rolls the pods.
    podAnnotations: () => ({}),
  };
}

export function stackSecretName(file: StackFile): string {
  return `${file.name}-secrets`;
}

/** The kustomize folder: `kubectl apply -k infrastructure/k8s` (after writing the secret files, docs/kubernetes.md). */
export function kustomizeFiles(file: StackFile): GeneratedFile[] {
  const facts = templateFacts(file);
  const params = kustomizeParameters(file);
  const objects = stackObjects(file, facts, params);
  const namespace: Namespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: file.name, labels: labelsFor(file.name, undefined, params.managedBy) },
  };
  const byService = facts.map((f) => ({
    path: `${f.name}.yaml`,
    objects: objects.filter((o) => o.metadata?.name === f.name && o.kind !== "NetworkPolicy"),
  }));
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const secretKeys = secretKeysOf(facts);
  const files: GeneratedFile[] = [
    { path: "namespace.yaml", text: yamlDocuments([namespace], GENERATED_NOTE) },
    ...byService.map(({ path, objects }) => ({ path, text: yamlDocuments(objects, GENERATED_NOTE) })),
    { path: "network-policies.yaml", text: yamlDocuments(policies, GENERATED_NOTE) },
    {
      path: "kustomization.yaml",
      text: yamlDocuments(
        [
          {
            apiVersion: "kustomize.config.k8s.io/v1beta1",
            kind: "Kustomization",
            namespace: file.name,
            resources: ["namespace.yaml", ...byService.map(({ path }) => path), "network-policies.yaml"],
            secretGenerator: [
              { name: stackSecretName(file), type: "Opaque", files: secretKeys.map((key) => `${key}=secrets/${key}`) },
            ],
            images: facts.filter((f) => f.image.built).map((f) => ({ name: f.image.reference, newTag: LOCAL_TAG })),
          },
        ],
        `${GENERATED_NOTE}\nkubectl apply -k ${KUSTOMIZE_DIR} needs the secret files in secrets/ (git-ignored): see docs/kubernetes.md.`,
      ),
    },
    {
      path: "secrets/.gitignore",
      text: `# ${GENERATED_NOTE}\n# The password files kustomize's secretGenerator reads: never committed.\n*\n!.gitignore\n`,
    },
    ...ingressOverlay(file, facts, params),
  ];
  return files.map((f) => ({ ...f, path: `${KUSTOMIZE_DIR}/${f.path}` }));
}

/**
 * A kustomize Component that adds the Ingress, for an overlay of your own (docs/kubernetes.md):
 * `resources: [<path>/infrastructure/k8s]`, `components: [<path>/infrastructure/k8s/ingress]`.
 * Its objects name their namespace: a component's resources are not in the base's namespace transformer.
 */
function ingressOverlay(file: StackFile, facts: ContainerFacts[], params: RenderParameters): GeneratedFile[] {
  const objects = ingressObjects(
    file.name,
    facts,
    { ...params, namespace: file.name },
    {
      className: "nginx",
      host: (f) => `${f.name}.${file.name}.localhost`,
      controllerNamespace: "ingress-nginx",
    },
  );
  return [
    {
      path: "ingress/ingress.yaml",
      text: yamlDocuments(objects, `${GENERATED_NOTE}\nHosts and class are examples: patch them in your own overlay.`),
    },
    {
      path: "ingress/kustomization.yaml",
      text: yamlDocuments(
        [{ apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component", resources: ["ingress.yaml"] }],
        GENERATED_NOTE,
      ),
    },
  ];
}
