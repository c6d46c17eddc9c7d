import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { PassThrough, type Readable, type Writable } from "node:stream";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { PostgresShell, ShellResult } from "../../backups/postgres-shell.js";
import { ZeroError } from "../../errors/zero-error.js";
import { describe, forbidden, httpStatusOf, type Cluster } from "./cluster.js";
import { readPods } from "./cluster-reads.js";

/** The exec protocol that can close stdin (Kubernetes ≥ 1.30); pg_restore reads its dump until end of input. */
const CLOSABLE_STDIN = "v5.channel.k8s.io";

/** The service's newest Ready pod, or an error saying to deploy (backup and restore need the server running). */
export async function readyPod(
  cluster: Cluster,
  stack: string,
  service: string,
  code: "ZERO_BACKUP_FAILED" | "ZERO_RESTORE_FAILED",
): Promise<string> {
  const pods = await readPods(cluster, stack, service);
  const ready = pods.find((pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
  if (!ready?.metadata?.name)
    throw new ZeroError(code, `${service} has no Ready pod in namespace ${cluster.namespace}.`, {
      why: "On Kubernetes, backups are taken and restored through the running PostgreSQL pod (pg_dump / pg_restore over the exec API).",
      next: "Deploy the stack with `make deploy` (or wait until `make status runtime=kubernetes` shows it healthy), then run the command again.",
    });
  return ready.metadata.name;
}

/**
 * The backups' shell inside a pod, through the exec subresource (client-node's Exec, the channel protocol
 * over a WebSocket): stdin from a string or a host file, stdout into memory or a host file, and the exit
 * code from the status channel.
 */
export function podShell(cluster: Cluster, pod: string, container: string): PostgresShell {
  return async (script, args, io) => {
    const stdout: Writable = io.stdoutFile ? createWriteStream(io.stdoutFile, { mode: 0o600 }) : new PassThrough();
    const stderr = new PassThrough();
    const collected = { stdout: "", stderr: "" };
    if (!io.stdoutFile) stdout.on("data", (chunk: Buffer) => (collected.stdout += chunk.toString("utf8")));
    stderr.on("data", (chunk: Buffer) => (collected.stderr += chunk.toString("utf8")));
    const hasInput = io.input !== undefined || io.inputFile !== undefined;
    // Held back until the protocol is known: without stdin closing, the command would be cut off at end of input.
    const stdin = hasInput ? new PassThrough() : null;
    let status: { status?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } } =
      {};
    let socket: Awaited<ReturnType<InstanceType<Cluster["k8s"]["Exec"]>["exec"]>>;
    try {
      socket = await new cluster.k8s.Exec(cluster.config).exec(
        cluster.namespace,
        pod,
        container,
        ["sh", "-c", script, "sh", ...args],
        stdout,
        stderr,
        stdin,
        false,
        (s) => (status = s as typeof status),
      );
    } catch (error) {
      if (httpStatusOf(error) === 403) throw forbidden(cluster, `exec in pod ${pod}`, error);
      throw new ZeroError("ZERO_BACKUP_FAILED", `Could not run a command in pod ${pod}: ${describe(error)}.`, {
        cause: error,
      });
    }
    const closed = once(socket as unknown as NodeJS.EventEmitter, "close");
    if (stdin) {
      if (socket.protocol !== CLOSABLE_STDIN) {
        socket.close();
        throw new ZeroError(
          "ZERO_RESTORE_FAILED",
          `The API server offered the exec protocol "${socket.protocol}", which cannot close a command's input.`,
          {
            why: "pg_restore and psql read until the end of their input; Kubernetes 1.30 and later speak v5.channel.k8s.io, which can.",
            next: "Upgrade the cluster to Kubernetes 1.30 or later, or restore with pg_restore through the port-forward (docs/kubernetes.md#backups).",
          },
        );
      }
      const input: Readable = io.inputFile
        ? createReadStream(io.inputFile)
        : PassThrough.from([Buffer.from(io.input!)]);
      input.pipe(stdin);
    }
    await closed;
    if (io.stdoutFile && !stdout.writableFinished) await once(stdout, "finish").catch(() => {});
    return { exitCode: exitCodeOf(status), ...collected } satisfies ShellResult;
  };
}

/** The status channel's V1Status: Success, or NonZeroExitCode with the code as a cause. */
function exitCodeOf(status: {
  status?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}): number | undefined {
  if (status.status === "Success") return 0;
  const code = status.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
  return code === undefined ? undefined : Number(code);
}
