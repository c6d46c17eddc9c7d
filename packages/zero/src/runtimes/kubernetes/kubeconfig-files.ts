import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ZeroError } from "../../errors/zero-error.js";

/**
 * Checks the kubeconfig files client-node is about to read (KUBECONFIG's list, else ~/.kube/config): each must
 * exist and be YAML, so a typo or a half-written file is ZERO_K8S_CONFIG_INVALID naming the file and the line the
 * parser stopped at, never a stack trace.
 */
export function assertKubeconfigFiles(files: string[]): void {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw invalid(
        `The kubeconfig ${file} cannot be read (${code === "ENOENT" ? "it does not exist" : (code ?? String(cause))}).`,
        file,
        cause,
      );
    }
    const document = parseDocument(text, { prettyErrors: true });
    const error = document.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw invalid(
        `The kubeconfig ${file} is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ""}: ${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        file,
        error,
      );
    }
    const value = document.toJS() as unknown;
    if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
      throw invalid(
        `The kubeconfig ${file} is not a kubeconfig (its top level is not a mapping of clusters, contexts and users).`,
        file,
      );
    }
  }
}

/** client-node's own complaint about a file that is YAML but not a kubeconfig (a cluster without a name...). */
export function kubeconfigRejected(files: string[], cause: unknown): ZeroError {
  const which = files.join(", ");
  return invalid(
    `The kubeconfig ${which} is not a valid kubeconfig: ${(cause as Error)?.message ?? String(cause)}`,
    which,
    cause,
  );
}

function invalid(message: string, file: string, cause?: unknown): ZeroError {
  return new ZeroError("ZERO_K8S_CONFIG_INVALID", message, {
    next: `Fix ${file} (\`kubectl config view\` reads it the same way), point KUBECONFIG at a working file, or unset KUBECONFIG to use ~/.kube/config.`,
    cause,
  });
}
