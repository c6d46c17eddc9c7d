import { stringify } from "yaml";

export type { GeneratedFile } from "../../runtime.js";

export const GENERATED_NOTE = "Generated from stack.yaml by `zero export` (make k8s-files): do not edit by hand.";

/** YAML documents separated by `---`, as kubectl and Helm read them. */
export function yamlDocuments(documents: unknown[], header?: string): string {
  const body = documents
    .map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
  return header
    ? `${header
        .split("\n")
        .map((line) => `# ${line}`)
        .join("\n")}\n${body}`
    : body;
}
