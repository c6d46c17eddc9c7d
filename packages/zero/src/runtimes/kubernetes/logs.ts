import { PassThrough } from "node:stream";
import type { Project } from "../../config/project.js";
import type { LogLine, LogQuery } from "../runtime.js";
import { connectCluster } from "./cluster.js";
import { readPods } from "./cluster-reads.js";

/** Each service's newest pod's log (timestamps from the kubelet), merged in time order; follows until aborted. */
export async function clusterLogs(
  project: Project,
  query: LogQuery,
  onLine: (line: LogLine) => void,
  signal: AbortSignal,
): Promise<void> {
  const cluster = await connectCluster(project);
  const services = Object.keys(project.stack.services).filter((name) => !query.service || name === query.service);
  const emit = (service: string, raw: string) => {
    const space = raw.indexOf(" ");
    onLine({ ts: raw.slice(0, space), service, line: project.mask(raw.slice(space + 1)) });
  };
  const sinceSeconds = query.since ? Math.max(1, Math.round((Date.now() - Date.parse(query.since)) / 1000)) : undefined;
  const options = {
    timestamps: true,
    ...(query.tail !== undefined ? { tailLines: query.tail } : {}),
    ...(sinceSeconds ? { sinceSeconds } : {}),
  };
  if (!query.follow) {
    const lines: { service: string; raw: string }[] = [];
    for (const service of services) {
      const pod = (await readPods(cluster, project.stack.name, service))[0]?.metadata?.name;
      if (!pod) continue;
      const text = await cluster.core
        .readNamespacedPodLog({ name: pod, namespace: cluster.namespace, container: service, ...options })
        .catch(() => "");
      for (const raw of String(text).split("\n").filter(Boolean)) lines.push({ service, raw });
    }
    for (const { service, raw } of lines.sort((a, b) => a.raw.localeCompare(b.raw))) emit(service, raw);
    return;
  }
  const log = new cluster.k8s.Log(cluster.config);
  const requests = await Promise.all(
    services.map(async (service) => {
      const pod = (await readPods(cluster, project.stack.name, service))[0]?.metadata?.name;
      if (!pod) return undefined;
      const stream = new PassThrough();
      let rest = "";
      stream.on("data", (chunk: Buffer) => {
        const parts = (rest + chunk.toString("utf8")).split("\n");
        rest = parts.pop() ?? "";
        for (const raw of parts.filter(Boolean)) emit(service, raw);
      });
      return log.log(cluster.namespace, pod, service, stream, { follow: true, ...options });
    }),
  );
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  for (const request of requests) request?.abort();
}
