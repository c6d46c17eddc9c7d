import { parseAllDocuments } from "yaml";
import type { StackFile } from "../../../stack/load.js";
import type { GeneratedFile } from "../../runtime.js";
import { checkObjects } from "./check-objects.js";
import { helmFiles } from "./helm-chart.js";
import { kustomizeFiles, stackSecretName } from "./kustomize-folder.js";
import { skaffoldFile } from "./skaffold-file.js";

/** `zero export kubernetes`: the kustomize folder and skaffold.yaml, refused if the objects fail the semantic checks. */
export function kubernetesExport(file: StackFile): GeneratedFile[] {
  const files = [...kustomizeFiles(file), skaffoldFile(file)];
  checkObjects(objectsIn(files), { deployTimeSecrets: [stackSecretName(file)] }).throwIfAny();
  return files;
}

/** `zero export helm`: the chart (its templates are checked through `helm template` in the tests). */
export function helmExport(file: StackFile): GeneratedFile[] {
  return helmFiles(file);
}

/** The Kubernetes objects among YAML files (not kustomization.yaml or skaffold.yaml, which are tool configuration). */
export function objectsIn(files: GeneratedFile[]): unknown[] {
  return files
    .filter((f) => f.path.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJS() as { kind?: string; apiVersion?: string }))
    .filter((o) => o?.kind && !["Kustomization", "Component", "Config"].includes(o.kind));
}
