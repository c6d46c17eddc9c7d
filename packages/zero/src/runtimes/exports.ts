import type { StackFile } from "../stack/load.js";

/** One file an export writes, relative to the repository root. */
export interface GeneratedFile {
  path: string;
  text: string;
}

/** What `zero export <format>` writes: the files, and the folder it owns (files there that it no longer writes are stale). */
export interface ExportFormat {
  description: string;
  /** The make target that regenerates it (named in the freshness error). */
  make: string;
  folder?: string;
  files(file: StackFile): Promise<GeneratedFile[]>;
}

/** Every export, by the name `zero export` takes. Generators are loaded on use. */
export const exportFormats: Record<string, ExportFormat> = {
  compose: {
    description: "docker-compose.yml",
    make: "make compose-file",
    files: async (file) => [{ path: "docker-compose.yml", text: (await import("./compose/compose-file.js")).composeTemplate(file) }],
  },
  kubernetes: {
    description: "the kustomize folder infrastructure/k8s (and its skaffold.yaml)",
    make: "make k8s-files",
    folder: "infrastructure/k8s",
    files: async (file) => (await import("./kubernetes/exports.js")).kubernetesExport(file),
  },
  helm: {
    description: "the Helm chart infrastructure/helm/zero-to-running",
    make: "make k8s-files",
    folder: "infrastructure/helm/zero-to-running",
    files: async (file) => (await import("./kubernetes/exports.js")).helmExport(file),
  },
};
