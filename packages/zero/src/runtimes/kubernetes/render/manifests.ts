import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Container, PodTemplateSpec, Service, Volume, VolumeMount } from "kubernetes-types/core/v1.js";
import type { Ingress, NetworkPolicy } from "kubernetes-types/networking/v1.js";
import { kindOf } from "../../../kinds/index.js";
import type { StackFile } from "../../../stack/load.js";
import { SECRETS_PATH, type ContainerFacts } from "./container-facts.js";
import { labelsFor, metadata, selectorFor } from "./labels.js";
import { probesFor } from "./probes.js";

/** The init container that runs the migrations (its log is what `make deploy` shows when they fail). */
export const MIGRATE_CONTAINER = "migrate";

/** Every object the generator makes (the Namespace and the Secret are added by whoever deploys). */
export type StackObject = Deployment | StatefulSet | Service | NetworkPolicy | Ingress;

/** What differs between the kustomize folder, the Helm chart and a deploy by the runtime. */
export interface RenderParameters {
  /** Set on every object by the runtime; kustomize and Helm set the namespace themselves. */
  namespace?: string;
  managedBy: string;
  image: (facts: ContainerFacts) => string;
  pullPolicy: string;
  storage: (facts: ContainerFacts) => string;
  secretName: string;
  /** Pod template annotations, e.g. a hash of the secrets so a rotated password rolls the pods. */
  podAnnotations: (facts: ContainerFacts) => Record<string, string>;
}

/** A service that keeps data runs as a StatefulSet (its volume claim survives the pods), any other as a Deployment. */
export function workloadKind(facts: Pick<ContainerFacts, "dataPath">): "StatefulSet" | "Deployment" {
  return facts.dataPath ? "StatefulSet" : "Deployment";
}

/** The workloads, Services and NetworkPolicies of a stack. */
export function stackObjects(file: StackFile, facts: ContainerFacts[], params: RenderParameters): StackObject[] {
  const objects: StackObject[] = [];
  for (const service of facts) {
    objects.push(serviceObject(file.name, service, params));
    objects.push(
      workloadKind(service) === "StatefulSet"
        ? statefulSet(file.name, service, params)
        : deployment(file.name, service, params),
    );
  }
  return [...objects, ...networkPolicies(file.name, facts, params)];
}

function serviceObject(stack: string, facts: ContainerFacts, params: RenderParameters): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(facts.name, labelsFor(stack, facts.name, params.managedBy), params.namespace),
    spec: {
      type: "ClusterIP",
      selector: selectorFor(stack, facts.name),
      ports: facts.ports.map(({ name, port }) => ({ name, port, targetPort: name, protocol: "TCP" })),
    },
  };
}

function statefulSet(stack: string, facts: ContainerFacts, params: RenderParameters): StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: metadata(facts.name, labelsFor(stack, facts.name, params.managedBy), params.namespace),
    spec: {
      serviceName: facts.name,
      replicas: 1,
      selector: { matchLabels: selectorFor(stack, facts.name) },
      template: podTemplate(stack, facts, params),
      // Deleting or scaling the StatefulSet keeps the data: `zero down` leaves the PVCs (volumes=1 deletes them).
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      volumeClaimTemplates: [
        {
          metadata: { name: "data", labels: labelsFor(stack, facts.name, params.managedBy) },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: params.storage(facts) } } },
        },
      ],
    },
  };
}

function deployment(stack: string, facts: ContainerFacts, params: RenderParameters): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(facts.name, labelsFor(stack, facts.name, params.managedBy), params.namespace),
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: 300,
      selector: { matchLabels: selectorFor(stack, facts.name) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: podTemplate(stack, facts, params),
    },
  };
}

function podTemplate(stack: string, facts: ContainerFacts, params: RenderParameters): PodTemplateSpec {
  const volumes: Volume[] = facts.scratch.map((path) => ({ name: scratchVolume(path), emptyDir: {} }));
  const mounts: VolumeMount[] = facts.scratch.map((path) => ({ name: scratchVolume(path), mountPath: path }));
  if (facts.secretFiles.length > 0) {
    volumes.push({
      name: "secrets",
      secret: {
        secretName: params.secretName,
        defaultMode: 0o440,
        items: facts.secretFiles.map((key) => ({ key, path: key })),
      },
    });
    mounts.push({ name: "secrets", mountPath: SECRETS_PATH, readOnly: true });
  }
  if (facts.dataPath) mounts.push({ name: "data", mountPath: facts.dataPath });
  const annotations = params.podAnnotations(facts);
  return {
    metadata: {
      labels: labelsFor(stack, facts.name, params.managedBy),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      // No API token in the pod (nothing here talks to Kubernetes) and no *_PORT service-link variables
      // (Kubernetes would set REDIS_PORT=tcp://..., which the stack's own variables must not collide with).
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        ...(facts.uid !== undefined ? { runAsUser: facts.uid, runAsGroup: facts.uid, fsGroup: facts.uid } : {}),
        seccompProfile: { type: "RuntimeDefault" },
      },
      // The release step: the pod's app container starts only once the migrations succeeded. An init container
      // rather than a Job orders it in kustomize and Helm too, and a failed migration stops the rollout while
      // the old pods keep serving (maxUnavailable: 0). ADR 15.
      ...(facts.migrate ? { initContainers: [migrateContainer(facts, params, mounts)] } : {}),
      containers: [container(facts, params, mounts)],
      volumes,
    },
  };
}

function container(facts: ContainerFacts, params: RenderParameters, volumeMounts: VolumeMount[]): Container {
  const kubernetesEnv = kindOf(facts).container.kubernetesEnv;
  const env = { ...facts.env, ...(kubernetesEnv && facts.dataPath ? kubernetesEnv(facts.dataPath) : {}) };
  return {
    name: facts.name,
    image: params.image(facts),
    imagePullPolicy: params.pullPolicy,
    ...(facts.command ? { command: facts.command } : {}),
    env: [
      ...Object.entries(env).map(([name, value]) => ({ name, value })),
      // A secret the program reads from its environment: a reference to the Secret's key, the value never here.
      ...Object.entries(facts.secretEnv).map(([name, key]) => ({
        name,
        valueFrom: { secretKeyRef: { name: params.secretName, key } },
      })),
    ],
    ports: facts.ports.map(({ name, port }) => ({ name, containerPort: port, protocol: "TCP" })),
    ...probesFor(facts),
    // As compose runs it after `docker start`: a password rotated in the Secret is applied to the existing data.
    ...(facts.postStart ? { lifecycle: { postStart: { exec: { command: ["sh", "-c", facts.postStart] } } } } : {}),
    resources: {
      requests: {
        cpu: `${Math.round(facts.limits.cpuMilli / 10)}m`,
        memory: `${Math.round(facts.limits.memoryMi / 4)}Mi`,
      },
      limits: { cpu: `${facts.limits.cpuMilli}m`, memory: `${facts.limits.memoryMi}Mi` },
    },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts,
  };
}

/** The app's own image, environment and mounts, running only the migrations (no ports, no probes). */
function migrateContainer(facts: ContainerFacts, params: RenderParameters, volumeMounts: VolumeMount[]): Container {
  const app = container(facts, params, volumeMounts);
  const { image, imagePullPolicy, env, resources, securityContext } = app;
  return {
    name: MIGRATE_CONTAINER,
    image,
    imagePullPolicy,
    command: facts.migrate,
    env,
    resources,
    securityContext,
    volumeMounts,
  };
}

/** Default deny for ingress, then exactly the connections stack.yaml's depends_on declares. */
function networkPolicies(stack: string, facts: ContainerFacts[], params: RenderParameters): NetworkPolicy[] {
  const labels = labelsFor(stack, undefined, params.managedBy);
  const policies: NetworkPolicy[] = [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("default-deny-ingress", labels, params.namespace),
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
  ];
  for (const target of facts) {
    const clients = facts.filter((other) => other.dependsOn[target.name]).map((other) => other.name);
    if (clients.length === 0 || target.ports.length === 0) continue;
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(`${target.name}-from-${clients.join("-")}`, labels, params.namespace),
      spec: {
        podSelector: { matchLabels: selectorFor(stack, target.name) },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: clients.map((client) => ({ podSelector: { matchLabels: selectorFor(stack, client) } })),
            ports: target.ports.map(({ name }) => ({ port: name, protocol: "TCP" })),
          },
        ],
      },
    });
  }
  return policies;
}

/** The services an Ingress can route to: those with an HTTP health check (the web app and the API). */
export function publicServices(facts: ContainerFacts[]): ContainerFacts[] {
  return facts.filter((f) => f.healthcheck?.type === "http");
}

/** The optional Ingress (one host per public service) and the policy that lets the controller's namespace in. */
export function ingressObjects(
  stack: string,
  facts: ContainerFacts[],
  params: RenderParameters,
  options: { className: string; host: (facts: ContainerFacts) => string; controllerNamespace: string },
): [Ingress, NetworkPolicy] {
  const services = publicServices(facts);
  const labels = labelsFor(stack, undefined, params.managedBy);
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: metadata(stack, labels, params.namespace),
      spec: {
        ingressClassName: options.className,
        rules: services.map((f) => ({
          host: options.host(f),
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name: f.name, port: { name: httpPort(f) } } } },
            ],
          },
        })),
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("public-from-ingress", labels, params.namespace),
      spec: {
        podSelector: {
          matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: services.map((f) => f.name) }],
        },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": options.controllerNamespace } } },
            ],
            ports: [...new Set(services.map(httpPort))].map((port) => ({ port, protocol: "TCP" })),
          },
        ],
      },
    },
  ];
}

function httpPort(facts: ContainerFacts): string {
  return facts.healthcheck?.type === "http" ? facts.healthcheck.port : facts.ports[0]!.name;
}

/** An emptyDir's name from its mount path: /var/run/postgresql → var-run-postgresql. */
function scratchVolume(path: string): string {
  return path.replace(/^\/+/, "").replaceAll("/", "-");
}
