import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as K8s from "@kubernetes/client-node";
import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { stackInstanceName } from "../../stack/profiles.js";
import { loadKubernetesClient } from "./client-module.js";
import { assertKubeconfigFiles, kubeconfigRejected } from "./kubeconfig-files.js";

/** The one client of the Kubernetes API (client-node), loaded only when this runtime runs. */
export interface Cluster {
  k8s: typeof K8s;
  config: K8s.KubeConfig;
  core: K8s.CoreV1Api;
  apps: K8s.AppsV1Api;
  objects: K8s.KubernetesObjectApi;
  context: string;
  server: string;
  namespace: string;
}

const REACH_TIMEOUT_MS = 2_500;
const DOCS = "docs/kubernetes.md";

/** The kube context to use: context= (ZERO_KUBE_CONTEXT), else kubectl's current one. */
export function contextOf(project: Project): string | undefined {
  return project.variables.values.ZERO_KUBE_CONTEXT || undefined;
}

/** One namespace per stack: ZERO_K8S_NAMESPACE, else the stack's name (plus the profile when isolated). */
export function namespaceOf(project: Project): string {
  return (
    project.variables.values.ZERO_K8S_NAMESPACE ||
    stackInstanceName(project.stack.name, project.stackFile.profiles, project.profile)
  );
}

/** Connects to the current (or chosen) context and checks within 2.5 s that the API server answers. */
export async function connectCluster(project: Project): Promise<Cluster> {
  return connectTo(contextOf(project), namespaceOf(project));
}

/** The same, from a context name and namespace (the detached port-forwarder has no project). */
export async function connectTo(wanted: string | undefined, namespace: string): Promise<Cluster> {
  const files = (process.env.KUBECONFIG ?? "").split(":").filter(Boolean);
  const inCluster = Boolean(process.env.KUBERNETES_SERVICE_HOST);
  if (files.length === 0 && !existsSync(join(homedir(), ".kube", "config")) && !inCluster) {
    throw unavailable(
      "No Kubernetes cluster is configured (no KUBECONFIG, no ~/.kube/config).",
      "zero deploys to your current kube context, as kubectl does.",
    );
  }
  const defaultFile = join(homedir(), ".kube", "config");
  const read = files.length > 0 ? files : existsSync(defaultFile) ? [defaultFile] : [];
  assertKubeconfigFiles(read);
  const k8s = await loadKubernetesClient();
  const config = new k8s.KubeConfig();
  try {
    config.loadFromDefault();
  } catch (cause) {
    throw kubeconfigRejected(read, cause);
  }
  if (wanted) {
    if (!config.getContextObject(wanted)) {
      throw unavailable(
        `There is no kube context "${wanted}".`,
        `Contexts: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(", ") || "none"
        }.`,
      );
    }
    config.setCurrentContext(wanted);
  }
  const server = config.getCurrentCluster()?.server;
  if (!server)
    throw unavailable(
      "The kube context names no cluster.",
      "zero deploys to your current kube context, as kubectl does.",
    );
  const cluster: Cluster = {
    k8s,
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    apps: config.makeApiClient(k8s.AppsV1Api),
    objects: k8s.KubernetesObjectApi.makeApiClient(config),
    context: config.getCurrentContext(),
    server,
    namespace,
  };
  await reach(cluster);
  return cluster;
}

async function reach(cluster: Cluster): Promise<void> {
  const version = cluster.config.makeApiClient(cluster.k8s.VersionApi);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REACH_TIMEOUT_MS / 1000} s`)), REACH_TIMEOUT_MS);
  });
  try {
    await Promise.race([version.getCode(), timeout]);
  } catch (error) {
    if (httpStatusOf(error) === 401 || httpStatusOf(error) === 403)
      throw forbidden(cluster, "read the server version", error);
    throw unavailable(
      `The Kubernetes API server of context "${cluster.context}" (${cluster.server}) does not answer: ${describe(error)}.`,
      "The cluster is stopped, unreachable from here, or the context points at an old address.",
      error,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status of a failed API call (client-node's ApiException), if any. */
export function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

export function describe(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === "string") {
    try {
      const status = JSON.parse(body) as { message?: string };
      if (status.message) return status.message;
    } catch {
      // not JSON: fall through
    }
  }
  if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

export function unavailable(what: string, why: string, cause?: unknown): ZeroError {
  return new ZeroError("ZERO_K8S_UNAVAILABLE", what, {
    why,
    next: `Start the cluster (Rancher Desktop / Docker Desktop: enable Kubernetes; kind: kind create cluster), or pick another context with context=<name> (kubectl config get-contexts). See ${DOCS}.`,
    cause,
  });
}

/** An RBAC denial: what was refused, for whom, and what to ask for. */
export function forbidden(cluster: Cluster, action: string, error: unknown): ZeroError {
  return new ZeroError(
    "ZERO_K8S_FORBIDDEN",
    `The cluster refused to let zero ${action} in namespace ${cluster.namespace} (context "${cluster.context}").`,
    {
      why: describe(error),
      next: `Ask the cluster's administrator for a Role with create/patch/get/list/watch/delete on the stack's objects in ${cluster.namespace}, or pick another namespace with ZERO_K8S_NAMESPACE.`,
      cause: error,
    },
  );
}
