import type * as K8s from "@kubernetes/client-node";
import { ZeroError } from "../../errors/zero-error.js";

/**
 * Loads the Kubernetes client (~60 MB installed), which only this runtime uses: `make dev` installs without it
 * (npm ci --omit=dev), `make deploy` and a plain `npm ci` install it. Missing, it is a prerequisite to install.
 */
export async function loadKubernetesClient(
  load: () => Promise<typeof K8s> = () => import("@kubernetes/client-node"),
): Promise<typeof K8s> {
  try {
    return await load();
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new ZeroError("ZERO_PREREQ_MISSING", "The Kubernetes client (@kubernetes/client-node) is not installed.", {
      why: "`make dev` installs only what the native and compose runtimes run; the Kubernetes tools come with the full install.",
      next: "Run `make deploy` (it installs them on first use) or `npm ci`, then try again.",
      cause: error,
    });
  }
}
