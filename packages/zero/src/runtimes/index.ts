import { ZeroError } from "../errors/zero-error.js";
import { ComposeRuntime } from "./compose/compose-runtime.js";
import { KubernetesRuntime } from "./kubernetes/kubernetes-runtime.js";
import { NativeRuntime } from "./native/native-runtime.js";
import type { CapabilityName, Exporter, Runtime, RuntimeCapabilities } from "./runtime.js";

/** Every runtime zero knows. A new runtime is one folder under runtimes/ and one line here. */
const registry: Array<() => Runtime> = [() => new NativeRuntime(), () => new ComposeRuntime(), () => new KubernetesRuntime()];

export function allRuntimes(): Runtime[] {
  return registry.map((create) => create());
}

export function runtimeNames(): string[] {
  return allRuntimes().map((runtime) => runtime.name);
}

/** The runtime adapter for a name from --runtime / ZERO_RUNTIME. */
export function runtimeFor(name: string): Runtime {
  const runtime = allRuntimes().find((candidate) => candidate.name === name);
  if (!runtime) {
    throw new ZeroError("ZERO_CONFIG_INVALID", `Unknown runtime "${name}".`, {
      why: "ZERO_RUNTIME (or --runtime / runtime=) names how to run the stack.",
      next: `Use one of: ${runtimeNames().join(", ")}.`,
    });
  }
  return runtime;
}

/** The runtime that recorded a running stack in this home, with where (for down and status without a configuration). */
export function runtimeWithRecord(home: string): { runtime: Runtime; record: string } | undefined {
  for (const runtime of allRuntimes()) {
    const record = runtime.recordIn?.(home);
    if (record) return { runtime, record };
  }
  return undefined;
}

const WHAT: Record<CapabilityName, string> = {
  status: "show the stack's status",
  logs: "show logs",
  restart: "restart one service",
  stop: "stop one service",
  start: "start one service",
  backup: "back up the database",
  restore: "restore a database backup",
  snapshots: "take or restore database snapshots",
  exec: "run a command inside a service",
  debug: "run a service paused for a debugger",
  export: "export the stack to a file",
};

/** One capability of a runtime, or ZERO_UNSUPPORTED naming the runtimes that have it. */
export function capability<K extends CapabilityName>(runtime: Runtime, name: K): NonNullable<RuntimeCapabilities[K]> {
  const found = runtime.capabilities[name];
  if (found) return found as NonNullable<RuntimeCapabilities[K]>;
  const able = allRuntimes().filter((other) => other.capabilities[name]).map((other) => other.name);
  throw new ZeroError("ZERO_UNSUPPORTED", `The ${runtime.name} runtime cannot ${WHAT[name]}.`, {
    next: able.length > 0 ? `Runtimes that can: ${able.join(", ")} (runtime=${able[0]}).` : "No runtime can yet.",
  });
}

/** The runtime that exports a format (`zero export compose`). */
export function exporterFor(format: string | undefined): Exporter {
  const exporters = allRuntimes().flatMap((runtime) => runtime.capabilities.export ?? []);
  const exporter = exporters.find((candidate) => candidate.format === format);
  if (!exporter) {
    throw new ZeroError("ZERO_USAGE", `zero export knows ${exporters.map((e) => e.format).join(", ")}; got "${format ?? ""}".`, {
      next: `Run \`zero export ${exporters[0]?.format ?? ""}\`.`,
    });
  }
  return exporter;
}
