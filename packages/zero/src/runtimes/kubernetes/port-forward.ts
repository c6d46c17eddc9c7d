import { createServer, type Server } from "node:net";
import type { Cluster } from "./cluster.js";
import { readPods } from "./cluster-reads.js";

/** One local port that tunnels to a service's container port. */
export interface ForwardTarget {
  service: string;
  localPort: number;
  remotePort: number;
}

/**
 * Listens on 127.0.0.1 at each target's local port and tunnels every connection through the API server's
 * portforward subresource to a Ready pod of the service (looked up per connection, so a restarted pod is
 * found again). The same ports as native and compose: the summary, `make migrate` and psql work unchanged.
 */
export async function forwardPorts(
  cluster: Cluster,
  stack: string,
  targets: ForwardTarget[],
): Promise<{ close: () => Promise<void> }> {
  const forward = new cluster.k8s.PortForward(cluster.config);
  const servers: Server[] = [];
  try {
    for (const target of targets) {
      const server = createServer((socket) => {
        socket.on("error", () => socket.destroy());
        void (async () => {
          const pods = await readPods(cluster, stack, target.service);
          const ready =
            pods.find((pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) ??
            pods[0];
          const name = ready?.metadata?.name;
          if (!name) return socket.destroy();
          const ws = await forward.portForward(cluster.namespace, name, [target.remotePort], socket, null, socket);
          if (typeof ws !== "function") {
            ws.on("close", () => socket.end());
            socket.on("close", () => ws.close());
          }
        })().catch(() => socket.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(target.localPort, "127.0.0.1", () => resolve());
      });
      servers.push(server);
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  return {
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
