// A PROTOCOL FAKE of the Kubernetes API server, not a cluster: no Kubernetes API server can be installed on
// these machines (none is in npm or Debian). It answers the requests @kubernetes/client-node makes for the
// kubernetes runtime (version, discovery, server-side apply PATCH, DELETE, GET of Deployments, StatefulSets,
// Pods, Events and pod logs) with the JSON shapes of the real API, and lets a test script what the workloads'
// status looks like over time (a clean rollout, a crash loop, an image pull error, a PVC that stays Pending).
// The pods' portforward subresource speaks the channel protocol over a WebSocket; its "container" echoes.
// The exec subresource speaks the same channel protocol (v5.channel.k8s.io, or an older one when told to) and
// hands the command to a test-supplied runner: the backup tests run it in a real PostgreSQL container.

interface WebSocketLike {
  send(data: Buffer | string): void;
  on(event: "message", listener: (data: Buffer) => void): void;
  close(): void;
}
// ws is client-node's own WebSocket library (no type declarations are installed for it).
const { WebSocketServer } = createRequire(import.meta.url)("ws") as {
  WebSocketServer: new (options: {
    noServer: true;
    handleProtocols?: (protocols: Set<string>) => string | false;
  }) => {
    handleUpgrade(req: IncomingMessage, socket: unknown, head: Buffer, done: (ws: WebSocketLike) => void): void;
  };
};
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface WorkloadView {
  /** readyReplicas of the workload (replicas is 1). */
  ready: number;
  /** The pod's status, as the kubelet would report it. */
  pod?: Record<string, unknown>;
  conditions?: Record<string, unknown>[];
}

/** What the cluster shows for a workload at its n-th read (from 0) since it was applied. */
export type Script = (name: string, read: number) => WorkloadView;

const RESOURCES: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  "/api/v1": [
    { name: "namespaces", kind: "Namespace", namespaced: false },
    { name: "secrets", kind: "Secret", namespaced: true },
    { name: "services", kind: "Service", namespaced: true },
    { name: "pods", kind: "Pod", namespaced: true },
    { name: "events", kind: "Event", namespaced: true },
    { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
  ],
  "/apis/apps/v1": [
    { name: "deployments", kind: "Deployment", namespaced: true },
    { name: "statefulsets", kind: "StatefulSet", namespaced: true },
  ],
  "/apis/networking.k8s.io/v1": [
    { name: "networkpolicies", kind: "NetworkPolicy", namespaced: true },
    { name: "ingresses", kind: "Ingress", namespaced: true },
  ],
};

export class FakeKubeApi {
  readonly requests: string[] = [];
  /** The content type of every PATCH (server-side apply sends application/apply-patch+yaml). */
  readonly patchTypes: string[] = [];
  /** Objects as applied, by API path. */
  readonly objects = new Map<string, any>();
  readonly events: any[] = [];
  /** Log text by pod name, or by "pod/container" for one container of it. */
  readonly logs = new Map<string, string>();
  /** Watches cut after their first event (a dropped watch). */
  dropWatches = 0;
  /** How often a watch looks at the scripted state again. */
  watchTickMs = 20;
  /** Runs an exec request's command (pod, container, argv); unset: exec is refused. */
  execIn: ((pod: string, container: string, command: string[]) => ChildProcessWithoutNullStreams) | undefined;
  /** The exec protocol the server picks (v5 can close stdin; API servers before 1.30 speak v4). */
  execProtocol = "v5.channel.k8s.io";
  /** Puts an object in the cluster as another manager would have (a platform team's Secret). */
  put(path: string, object: any): void {
    this.objects.set(path, object);
  }
  /** Requests (METHOD path prefix) answered 403, as RBAC would. */
  forbid: string[] = [];
  /** Reads of a workload path that get their connection cut (a dropped watch or proxy). */
  dropReads = new Set<number>();
  script: Script = (_, read) => ({ ready: read >= 1 ? 1 : 0 });
  private readonly reads = new Map<string, number>();
  private workloadReads = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    const sockets = new WebSocketServer({ noServer: true });
    const execSockets = new WebSocketServer({
      noServer: true,
      handleProtocols: (offered) => (offered.has(this.execProtocol) ? this.execProtocol : false),
    });
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://x");
      this.requests.push(`UPGRADE ${url.pathname}${url.search}`);
      const exec = url.pathname.match(/\/pods\/([^/]+)\/exec$/);
      if (exec && this.execIn) {
        const run = this.execIn;
        return execSockets.handleUpgrade(req, socket, head, (ws) =>
          bridgeExec(ws, run(exec[1]!, url.searchParams.get("container") ?? "", url.searchParams.getAll("command"))),
        );
      }
      if (!/\/pods\/[^/]+\/portforward$/.test(url.pathname)) return (socket as { destroy(): void }).destroy();
      const port = Number(url.searchParams.get("ports"));
      sockets.handleUpgrade(req, socket, head, (ws) => {
        // Channel 0 carries data, channel 1 errors; each starts with the port number (little-endian).
        const portBytes = Buffer.alloc(2);
        portBytes.writeUInt16LE(port);
        ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
        ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
        ws.on("message", (data) => {
          if (data[0] === 0)
            ws.send(
              Buffer.concat([
                Buffer.from([0]),
                Buffer.from(`echo from ${url.pathname.split("/")[6]}:${port}: `),
                data.subarray(1),
              ]),
            );
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** A kubeconfig file with one context pointing here (plain HTTP needs insecure-skip-tls-verify). */
  kubeconfig(url: string): string {
    const dir = mkdtempSync(join(tmpdir(), "zero-fake-kube-"));
    const file = join(dir, "config");
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{name: fake, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]`,
        "users: [{name: tester, user: {token: fake-token}}]",
        "contexts: [{name: fake, context: {cluster: fake, user: tester}}]",
        "current-context: fake",
        "",
      ].join("\n"),
    );
    return file;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.replace(/\/$/, "");
    const body = await new Promise<string>((resolve) => {
      let data = "";
      req.on("data", (chunk) => (data += chunk));
      req.on("end", () => resolve(data));
    });
    this.requests.push(`${req.method} ${path}${url.search}`);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    const status = (code: number, reason: string, message: string) =>
      json(code, { kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code });
    if (this.forbid.some((prefix) => `${req.method} ${path}`.startsWith(prefix))) {
      return status(
        403,
        "Forbidden",
        `secrets "zero-to-running-secrets" is forbidden: User "tester" cannot patch resource "secrets" in API group "" in the namespace "${path.split("/")[4]}"`,
      );
    }
    if (path === "/version") return json(200, { major: "1", minor: "32", gitVersion: "v1.32.3" });
    if (RESOURCES[path])
      return json(200, {
        kind: "APIResourceList",
        groupVersion: path.replace(/^\/apis?\//, ""),
        resources: RESOURCES[path].map((r) => ({ ...r, singularName: "", verbs: ["get", "list", "patch", "delete"] })),
      });
    const log = path.match(/^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/log$/);
    if (log) {
      res.writeHead(200, { "content-type": "text/plain" });
      // By "pod/container" (an init container's log), else by pod.
      const text = () =>
        this.logs.get(`${log[1]}/${url.searchParams.get("container")}`) ?? this.logs.get(log[1]!) ?? "";
      if (url.searchParams.get("follow") !== "true") return res.end(text());
      // Following: the headers at once (as the kubelet's stream does), what is there, then whatever a test
      // appends, until the client goes away.
      res.flushHeaders();
      let sent = 0;
      const send = () => {
        const now = text();
        if (now.length > sent) res.write(now.slice(sent));
        sent = now.length;
      };
      send();
      const timer = setInterval(send, this.watchTickMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
    const workloads = path.match(/^\/apis\/apps\/v1\/namespaces\/[^/]+\/(deployments|statefulsets)$/);
    if (workloads && req.method === "GET") {
      const name = (url.searchParams.get("fieldSelector") ?? "").replace(/^metadata\.name=/, "");
      const items = () =>
        [...this.objects.entries()].filter(([p]) => p === `${path}/${name}`).map(([p, o]) => this.withStatus(p, o));
      if (url.searchParams.get("watch") === "true") return this.stream(req, res, items);
      return json(200, { kind: "List", apiVersion: "apps/v1", metadata: { resourceVersion: "1" }, items: items() });
    }
    const list = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/(pods|events)$/);
    if (list?.[2] === "pods" && url.searchParams.get("watch") === "true")
      return this.stream(req, res, () => this.pods(url.searchParams.get("labelSelector") ?? ""));
    if (list && req.method === "GET")
      return json(200, {
        kind: list[2] === "pods" ? "PodList" : "EventList",
        apiVersion: "v1",
        metadata: {},
        items: list[2] === "pods" ? this.pods(url.searchParams.get("labelSelector") ?? "") : this.events,
      });
    if (req.method === "PATCH") {
      this.patchTypes.push(String(req.headers["content-type"]));
      const object = JSON.parse(body);
      const before = this.objects.get(path);
      // As the API server: a changed pod template is a new generation (a new rollout, new pods); the same one is not.
      const changed = !before || JSON.stringify(before.spec?.template) !== JSON.stringify(object.spec?.template);
      const applied = {
        ...object,
        metadata: {
          ...object.metadata,
          uid: before?.metadata.uid ?? `uid-${this.objects.size}`,
          generation: (before?.metadata.generation ?? 0) + (changed ? 1 : 0),
          creationTimestamp: before?.metadata.creationTimestamp ?? new Date().toISOString(),
          managedFields: [{ manager: url.searchParams.get("fieldManager"), operation: "Apply" }],
        },
      };
      // The API server stores a Secret's stringData as base64 data.
      if (applied.kind === "Secret" && applied.stringData) {
        applied.data = Object.fromEntries(
          Object.entries(applied.stringData as Record<string, string>).map(([k, v]) => [
            k,
            Buffer.from(v).toString("base64"),
          ]),
        );
        delete applied.stringData;
      }
      this.objects.set(path, applied);
      if (changed) this.reads.delete(path);
      return json(200, applied);
    }
    if (req.method === "DELETE") {
      if (/persistentvolumeclaims$/.test(path)) return json(200, { kind: "Status", status: "Success" });
      if (!this.objects.delete(path)) return status(404, "NotFound", `${path} not found`);
      return json(200, { kind: "Status", status: "Success" });
    }
    if (req.method === "GET") {
      const object = this.objects.get(path);
      if (!object) return status(404, "NotFound", `${path} not found`);
      if (/\/(deployments|statefulsets)\//.test(path)) {
        if (this.dropReads.has(this.workloadReads++)) return req.socket.destroy();
        return json(200, this.withStatus(path, object));
      }
      return json(200, object);
    }
    return status(405, "MethodNotAllowed", `${req.method} ${path}`);
  }

  /**
   * A watch: every watchTickMs the objects are read again (a workload read advances its script) and each
   * change is sent as an ADDED / MODIFIED / DELETED line. With dropWatches, the connection is cut after the
   * first event, as a proxy's timeout or an API server restart would.
   */
  private stream(req: IncomingMessage, res: ServerResponse, items: () => any[]) {
    res.writeHead(200, { "content-type": "application/json" });
    const sent = new Map<string, string>();
    const drop = this.dropWatches > 0;
    if (drop) this.dropWatches--;
    let events = 0;
    const line = (type: string, object: unknown) => {
      res.write(`${JSON.stringify({ type, object })}\n`);
      events++;
    };
    const tick = () => {
      const now = items();
      for (const object of now) {
        const text = JSON.stringify(object);
        if (sent.get(object.metadata.name) === text) continue;
        line(sent.has(object.metadata.name) ? "MODIFIED" : "ADDED", object);
        sent.set(object.metadata.name, text);
      }
      for (const name of [...sent.keys()])
        if (!now.some((o) => o.metadata.name === name)) {
          line("DELETED", { metadata: { name } });
          sent.delete(name);
        }
      if (drop && events > 0) {
        clearInterval(timer);
        req.socket.destroy();
      }
    };
    const timer = setInterval(tick, this.watchTickMs);
    res.on("close", () => clearInterval(timer));
  }

  private view(name: string, path: string): WorkloadView {
    const read = this.reads.get(path) ?? 0;
    return this.script(name, read);
  }

  private withStatus(path: string, object: any) {
    const read = this.reads.get(path) ?? 0;
    this.reads.set(path, read + 1);
    const view = this.script(object.metadata.name, read);
    return {
      ...object,
      status: {
        observedGeneration: object.metadata.generation,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: view.ready,
        currentRevision: "r1",
        updateRevision: "r1",
        ...(view.conditions ? { conditions: view.conditions } : {}),
      },
    };
  }

  /** The pods of the workloads applied so far that the label selector selects. */
  private pods(selector: string) {
    const wanted = Object.fromEntries(
      selector
        .split(",")
        .filter(Boolean)
        .map((pair) => pair.split("=") as [string, string]),
    );
    return [...this.objects.entries()]
      .filter(([path]) => /\/(deployments|statefulsets)\//.test(path))
      .filter(([, o]) => Object.entries(wanted).every(([k, v]) => o.spec.template.metadata.labels[k] === v))
      .map(([path, o]) => {
        const view = this.view(o.metadata.name, path);
        return {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            // One pod per generation: a rollout replaces it.
            name: `${o.metadata.name}-${o.metadata.generation - 1}`,
            namespace: o.metadata.namespace,
            labels: o.spec.template.metadata.labels,
            creationTimestamp: o.metadata.creationTimestamp,
          },
          spec: o.spec.template.spec,
          status: view.pod ?? {
            phase: "Running",
            startTime: o.metadata.creationTimestamp,
            conditions: [{ type: "Ready", status: view.ready > 0 ? "True" : "False" }],
            containerStatuses: [
              {
                name: o.metadata.name,
                ready: view.ready > 0,
                restartCount: 0,
                image: "x",
                imageID: "",
                state: { running: {} },
              },
            ],
          },
        };
      });
  }
}

/**
 * The exec channel protocol: 0 stdin, 1 stdout, 2 stderr, 3 the final V1Status (with the exit code as a
 * cause, as the kubelet reports it), and in v5 255 [0] for "stdin is closed".
 */
function bridgeExec(ws: WebSocketLike, child: ChildProcessWithoutNullStreams) {
  ws.on("message", (data) => {
    if (data[0] === 0) child.stdin.write(data.subarray(1));
    if (data[0] === 255 && data[1] === 0) child.stdin.end();
  });
  child.stdin.on("error", () => {}); // the command may exit before reading all its input
  child.stdout.on("data", (chunk: Buffer) => ws.send(Buffer.concat([Buffer.from([1]), chunk])));
  child.stderr.on("data", (chunk: Buffer) => ws.send(Buffer.concat([Buffer.from([2]), chunk])));
  child.on("close", (code) => {
    const status =
      code === 0
        ? { metadata: {}, status: "Success" }
        : {
            metadata: {},
            status: "Failure",
            message: `command terminated with non-zero exit code: exit status ${code}`,
            reason: "NonZeroExitCode",
            details: { causes: [{ reason: "ExitCode", message: String(code) }] },
          };
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]));
    ws.close();
  });
}
