import { ZeroError } from "../../../errors/zero-error.js";

/**
 * Cross-object checks that neither the OpenAPI schemas nor a strict field check can see: the mistakes that
 * make objects the API server accepts but a stack that does not work (a Service selecting no pod, a probe
 * on a port name that does not exist, a Secret value in a plain object).
 */
export interface CheckOptions {
  /** Secrets created at deploy time (not among the objects) that pods may reference. */
  deployTimeSecrets?: string[];
  /** Values that must appear in no object but a Secret. */
  secretValues?: string[];
}

export interface CheckResult {
  problems: string[];
  throwIfAny(): void;
}

interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, any>;
  [key: string]: unknown;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** IANA service names: what Kubernetes requires of a port name. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
/** Objects whose names must be DNS-1123 labels (they become DNS names or label values). */
const LABEL_NAMED = new Set(["Namespace", "Service", "StatefulSet", "Deployment"]);

export function checkObjects(objects: unknown[], options: CheckOptions = {}): CheckResult {
  const list = (objects as K8sObject[]).filter((o) => o && typeof o === "object" && o.kind);
  const problems: string[] = [];
  const id = (o: K8sObject) => `${o.kind}/${o.metadata?.name ?? "?"}`;
  const workloads = list.filter((o) => ["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(o.kind!));
  const pods = workloads.map((w) => ({
    workload: w,
    labels: (w.spec?.template?.metadata?.labels ?? {}) as Record<string, string>,
    spec: w.spec?.template?.spec ?? {},
  }));
  const secrets = new Map(list.filter((o) => o.kind === "Secret").map((o) => [o.metadata?.name, o]));
  const secretNames = new Set([...secrets.keys(), ...(options.deployTimeSecrets ?? [])]);
  const configMaps = new Set(list.filter((o) => o.kind === "ConfigMap").map((o) => o.metadata?.name));
  const claims = new Set(list.filter((o) => o.kind === "PersistentVolumeClaim").map((o) => o.metadata?.name));
  const services = new Map(list.filter((o) => o.kind === "Service").map((o) => [o.metadata?.name, o]));
  const portNamesOf = (spec: any) =>
    new Set<string>(
      (spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name).filter(Boolean)),
    );
  const selected = (selector: Selector) => pods.filter((p) => matches(selector, p.labels));

  for (const o of list) {
    const name = o.metadata?.name ?? "";
    const pattern = LABEL_NAMED.has(o.kind!) ? DNS_LABEL : DNS_SUBDOMAIN;
    const limit = LABEL_NAMED.has(o.kind!) ? 63 : 253;
    if (!pattern.test(name) || name.length > limit)
      problems.push(`${id(o)}: the name is not a DNS-1123 ${LABEL_NAMED.has(o.kind!) ? "label" : "subdomain"}`);
    for (const [key, value] of Object.entries(o.metadata?.labels ?? {})) {
      if (value.length > 63 || !/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value))
        problems.push(`${id(o)}: label ${key}=${value} is not a valid label value`);
    }
    if (options.secretValues && o.kind !== "Secret") {
      const text = JSON.stringify(o);
      for (const secret of options.secretValues)
        if (secret && text.includes(secret))
          problems.push(`${id(o)}: contains a secret value (secrets belong in a Secret, mounted as a file)`);
    }
  }

  for (const { workload, labels, spec } of pods) {
    const selector = workload.spec?.selector as Selector | undefined;
    if (!selector || !matches(selector, labels))
      problems.push(`${id(workload)}: spec.selector does not match the pod template's labels`);
    if (workload.kind === "StatefulSet" && !services.has(workload.spec?.serviceName))
      problems.push(`${id(workload)}: serviceName ${workload.spec?.serviceName} names no Service`);
    const volumes = new Set<string>([
      ...(spec.volumes ?? []).map((v: any) => v.name),
      ...(workload.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name),
    ]);
    for (const volume of spec.volumes ?? []) {
      if (volume.secret) {
        const secretName = volume.secret.secretName;
        if (!secretNames.has(secretName))
          problems.push(`${id(workload)}: volume ${volume.name} mounts Secret ${secretName}, which is not created`);
        const secret = secrets.get(secretName);
        const keys = secret
          ? new Set(Object.keys({ ...(secret.data as object), ...(secret.stringData as object) }))
          : undefined;
        for (const item of volume.secret.items ?? [])
          if (keys && !keys.has(item.key))
            problems.push(`${id(workload)}: Secret ${secretName} has no key ${item.key}`);
      }
      if (volume.configMap && !configMaps.has(volume.configMap.name))
        problems.push(
          `${id(workload)}: volume ${volume.name} mounts ConfigMap ${volume.configMap.name}, which is not created`,
        );
      if (volume.persistentVolumeClaim && !claims.has(volume.persistentVolumeClaim.claimName))
        problems.push(
          `${id(workload)}: volume ${volume.name} uses PVC ${volume.persistentVolumeClaim.claimName}, which is not created`,
        );
    }
    for (const init of spec.initContainers ?? [])
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"])
        if (init[probe] && init.restartPolicy !== "Always")
          problems.push(`${id(workload)} init container ${init.name}: ${probe} is refused on an init container`);
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const where = `${id(workload)} container ${container.name}`;
      if (!DNS_LABEL.test(container.name ?? "")) problems.push(`${where}: the name is not a DNS-1123 label`);
      const ports = new Set<string>();
      for (const port of container.ports ?? []) {
        if (port.name === undefined) continue;
        if (port.name.length > 15 || !PORT_NAME.test(port.name))
          problems.push(
            `${where}: port name "${port.name}" must be at most 15 lower-case letters, digits and dashes, with a letter`,
          );
        ports.add(port.name);
      }
      for (const mount of container.volumeMounts ?? [])
        if (!volumes.has(mount.name)) problems.push(`${where}: volumeMount ${mount.name} names no volume`);
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port;
        if (typeof port === "string" && !ports.has(port))
          problems.push(`${where}: ${probe} uses port "${port}", which the container does not name`);
        if (container[probe]?.httpGet?.scheme && !["HTTP", "HTTPS"].includes(container[probe].httpGet.scheme))
          problems.push(`${where}: ${probe} scheme must be HTTP or HTTPS`);
      }
      for (const env of container.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
        if (env.valueFrom?.secretKeyRef && !secretNames.has(ref.name))
          problems.push(`${where}: env ${env.name} reads Secret ${ref.name}, which is not created`);
        const read = env.valueFrom?.secretKeyRef ? secrets.get(ref.name) : undefined;
        if (read && !(ref.key in { ...(read.data as object), ...(read.stringData as object) }))
          problems.push(`${where}: env ${env.name} reads key ${ref.key}, which Secret ${ref.name} does not have`);
        if (env.valueFrom?.configMapKeyRef && !configMaps.has(ref.name))
          problems.push(`${where}: env ${env.name} reads ConfigMap ${ref.name}, which is not created`);
      }
    }
  }

  for (const service of services.values()) {
    const targets = selected({ matchLabels: service.spec?.selector ?? {} });
    if (targets.length === 0) problems.push(`${id(service)}: its selector selects no pod`);
    for (const port of service.spec?.ports ?? []) {
      if (port.name && (port.name.length > 15 || !PORT_NAME.test(port.name)))
        problems.push(`${id(service)}: port name "${port.name}" is not a valid port name (at most 15 characters)`);
      if (typeof port.targetPort === "string" && targets.some((t) => !portNamesOf(t.spec).has(port.targetPort)))
        problems.push(`${id(service)}: targetPort "${port.targetPort}" is not a port name of the selected pods`);
    }
  }

  for (const policy of list.filter((o) => o.kind === "NetworkPolicy")) {
    const podSelector = policy.spec?.podSelector as Selector | undefined;
    const empty = !podSelector?.matchLabels && !podSelector?.matchExpressions;
    const targets = empty ? pods : selected(podSelector ?? {});
    if (!empty && targets.length === 0) problems.push(`${id(policy)}: spec.podSelector selects no pod`);
    for (const rule of policy.spec?.ingress ?? []) {
      for (const peer of rule.from ?? [])
        if (peer.podSelector && !peer.namespaceSelector && selected(peer.podSelector).length === 0)
          problems.push(`${id(policy)}: a from.podSelector selects no pod`);
      for (const port of rule.ports ?? []) {
        if (typeof port.port === "string" && targets.some((t) => !portNamesOf(t.spec).has(port.port)))
          problems.push(`${id(policy)}: port "${port.port}" is not a port name of the selected pods`);
      }
    }
  }

  for (const ingress of list.filter((o) => o.kind === "Ingress")) {
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const service = services.get(backend?.name);
        if (!service) problems.push(`${id(ingress)}: backend Service ${backend?.name} does not exist`);
        else if (backend.port?.name && !(service.spec?.ports ?? []).some((p: any) => p.name === backend.port.name))
          problems.push(`${id(ingress)}: Service ${backend.name} has no port named ${backend.port.name}`);
      }
    }
  }

  return {
    problems,
    throwIfAny() {
      if (problems.length === 0) return;
      throw new ZeroError(
        "ZERO_STACK_INVALID",
        `The generated Kubernetes objects have ${problems.length} problem(s).`,
        {
          why: "The objects are generated from stack.yaml; these would be accepted by the API server but not work.",
          next: "Fix the service in stack.yaml that each line names (a port name, a dependency), then export again.",
          details: problems,
        },
      );
    },
  };
}

/** Does a label selector select these labels? (matchLabels and matchExpressions, as the API server evaluates them.) */
export function matches(selector: Selector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return key in labels && values.includes(labels[key]!);
      case "NotIn":
        return !(key in labels) || !values.includes(labels[key]!);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}
