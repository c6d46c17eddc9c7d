// Entry point of the detached port-forwarder (dist/k8s-forward.js): started by `make deploy` after a healthy
// rollout, it keeps the stack's ports open on 127.0.0.1 after the CLI exits, until `make down`.
import { connectTo, describe } from "./cluster.js";
import { forwardPorts, type ForwardTarget } from "./port-forward.js";

export interface ForwardRequest {
  context: string;
  namespace: string;
  stack: string;
  targets: ForwardTarget[];
}

process.once("message", (request: ForwardRequest) => {
  connectTo(request.context, request.namespace)
    .then((cluster) => forwardPorts(cluster, request.stack, request.targets))
    .then(
      () => {
        process.send?.({ ready: true });
        process.disconnect?.();
      },
      (error) => {
        process.send?.({ error: describe(error) });
        process.exit(1);
      },
    );
});
process.on("SIGTERM", () => process.exit(0));
