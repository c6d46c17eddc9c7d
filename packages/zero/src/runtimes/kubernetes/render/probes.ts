import type { Probe } from "kubernetes-types/core/v1.js";
import type { ContainerFacts } from "./container-facts.js";

/**
 * startup, readiness and liveness probes equivalent to the stack's health check. Secrets are read from their
 * files inside the probe's shell, so no password is in a manifest or on a command line.
 */
export function probesFor(facts: ContainerFacts): {
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
} {
  const check = readinessAction(facts);
  if (!check) return {};
  const timeoutSeconds = Math.max(1, Math.ceil((facts.healthcheck?.timeout_ms ?? 1000) / 1000) + 1);
  return {
    // Start-up (first PostgreSQL init, the API's migrations) may take a while: 3 minutes, checked every 2 s.
    startupProbe: { ...check, periodSeconds: 2, timeoutSeconds, failureThreshold: 90 },
    readinessProbe: { ...check, periodSeconds: 5, timeoutSeconds, failureThreshold: 3 },
    // Looser: a restart is a bigger step than leaving the load balancer. HTTP services are alive when they
    // accept connections (readiness also checks their dependencies, which a restart would not fix).
    livenessProbe: {
      ...livenessAction(facts, check),
      periodSeconds: 10,
      timeoutSeconds: timeoutSeconds + 2,
      failureThreshold: 6,
    },
  };
}

type Action = Pick<Probe, "exec" | "httpGet" | "tcpSocket">;

/** http and tcp checks probe the named port from the kubelet; the others run the container layer's command inside. */
function readinessAction(facts: ContainerFacts): Action | undefined {
  const check = facts.healthcheck;
  if (check?.type === "http") return { httpGet: { path: check.path, port: check.port, scheme: "HTTP" } };
  if (check?.type === "tcp") return { tcpSocket: { port: check.port } };
  return facts.exec ? { exec: { command: facts.exec } } : undefined;
}

function livenessAction(facts: ContainerFacts, readiness: Action): Action {
  const check = facts.healthcheck;
  return check?.type === "http" ? { tcpSocket: { port: check.port } } : readiness;
}
