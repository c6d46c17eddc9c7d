import type { StackFile } from "../../../stack/load.js";
import { templateFacts, type ContainerFacts } from "./container-facts.js";
import { GENERATED_NOTE, yamlDocuments, type GeneratedFile } from "./generated-file.js";
import { KUSTOMIZE_DIR } from "./kustomize-folder.js";

export const SKAFFOLD_FILE = `${KUSTOMIZE_DIR}/skaffold.yaml`;
export const SKAFFOLD_API_VERSION = "skaffold/v4beta11";

/** skaffold.yaml for teams that use Skaffold: builds the production stages and deploys the kustomize folder. */
export function skaffoldFile(file: StackFile): GeneratedFile {
  const built = templateFacts(file).filter((f) => f.image.built);
  const document = {
    apiVersion: SKAFFOLD_API_VERSION,
    kind: "Config",
    metadata: { name: file.name },
    build: {
      local: { push: false },
      artifacts: built.map((f) => ({
        image: f.image.reference,
        context: "../..",
        docker: { dockerfile: "infrastructure/docker/Dockerfile", target: f.image.target },
        ...fileSync(f),
      })),
    },
    manifests: { kustomize: { paths: ["."] } },
    deploy: { kubectl: {} },
    portForward: built.flatMap((f) =>
      f.ports.map(({ port }) => ({
        resourceType: "service",
        resourceName: f.name,
        namespace: file.name,
        port,
        localPort: port,
      })),
    ),
  };
  return {
    path: SKAFFOLD_FILE,
    text: yamlDocuments(
      [document],
      `${GENERATED_NOTE}\nskaffold dev -f ${SKAFFOLD_FILE} (the inner loop with hot reload stays native or compose: docs/kubernetes.md).`,
    ),
  };
}

/**
 * watch rules with action sync become Skaffold's manual file sync (copied into the running pod, no rebuild). restart
 * and rebuild rules need nothing here: `skaffold dev` rebuilds and redeploys an artifact when a file of its context
 * changes that no sync rule covers.
 */
function fileSync(facts: ContainerFacts) {
  const manual = facts.watch
    .filter((trigger) => trigger.action.startsWith("sync") && trigger.target)
    .map((trigger) => ({
      src: trigger.include ? `${trigger.path}/${trigger.include[0]}` : `${trigger.path}/**`,
      dest: trigger.target!,
      strip: `${trigger.path}/`,
    }));
  return manual.length > 0 ? { sync: { manual } } : {};
}
