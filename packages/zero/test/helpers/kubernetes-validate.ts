// Validation layers for generated Kubernetes objects, used by the manifest tests:
// 1. the OpenAPI schemas of Kubernetes, precompiled in kubernetes-models 4.5 (types, formats, required fields);
// 2. a strict unknown-field check, from the field lists of @kubernetes/client-node's generated models
//    (the schemas allow unknown fields, which the API server drops or rejects: a misspelt readinesProbe);
// 3. zero's own semantic checks (src/runtimes/kubernetes/render/check-objects.ts).
import * as client from "@kubernetes/client-node";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { ConfigMap, Namespace, Secret, Service } from "kubernetes-models/v1";
import { parseAllDocuments } from "yaml";

type Model = new (data: any) => { validate(): void };
const models: Record<string, Model> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "v1/Service": Service,
  "v1/Secret": Secret,
  "v1/ConfigMap": ConfigMap,
  "v1/Namespace": Namespace,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "networking.k8s.io/v1/Ingress": Ingress,
};

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [key: string]: unknown;
}

const id = (o: KubeObject) => `${o.kind}/${o.metadata?.name}`;

/** Layer 1: every problem the Kubernetes OpenAPI schema finds, one line each. */
export function openApiProblems(objects: KubeObject[]): string[] {
  return objects.flatMap((o) => {
    const model = models[`${o.apiVersion}/${o.kind}`];
    if (!model) return [`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`];
    try {
      new model(o).validate();
      return [];
    } catch (error) {
      const details = (error as { errors?: { instancePath: string; message: string }[] }).errors ?? [];
      return details.length > 0
        ? details.map((d) => `${id(o)}${d.instancePath}: ${d.message}`)
        : [`${id(o)}: ${(error as Error).message}`];
    }
  });
}

/** Layer 2: fields that the Kubernetes type does not have (the API server would reject or silently drop them). */
export function unknownFieldProblems(objects: KubeObject[]): string[] {
  return objects.flatMap((o) => {
    const { kind, apiVersion, ...rest } = o;
    return walk(rest, `V1${kind}`, id(o)).concat(
      apiVersion && kind ? [] : [`${id(o)}: apiVersion and kind are required`],
    );
  });
}

function walk(value: unknown, type: string, path: string): string[] {
  if (value === null || value === undefined) return [];
  const array = type.match(/^Array<(.+)>$/);
  if (array)
    return Array.isArray(value)
      ? value.flatMap((item, i) => walk(item, array[1]!, `${path}[${i}]`))
      : [`${path}: expected a list`];
  const map = type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (map) return Object.entries(value as object).flatMap(([key, item]) => walk(item, map[1]!, `${path}.${key}`));
  const model = (
    client as unknown as Record<
      string,
      { getAttributeTypeMap?: () => { name: string; baseName: string; type: string }[] }
    >
  )[type];
  if (!model?.getAttributeTypeMap) return []; // string, number, boolean, Date, IntOrString, any
  if (typeof value !== "object" || Array.isArray(value)) return [`${path}: expected an object (${type})`];
  const fields = new Map(model.getAttributeTypeMap().map((field) => [field.baseName, field.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const fieldType = fields.get(key);
    if (!fieldType) return [`${path}: unknown field "${key}" (not in ${type})`];
    return walk(item, fieldType, `${path}.${key}`);
  });
}

/** The Kubernetes objects in YAML text (several documents). */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject)
    .filter((o) => o?.kind);
}
