import { ZeroError } from "../errors/zero-error.js";
import type { CapabilityName, Exporter, Runtime, RuntimeCapabilities } from "./runtime.js";
import { type RuntimeName, runtimeNames, runtimeTable } from "./table.js";

/** How to load each runtime of the table (runtimes/table.ts); a runtime is imported only to run it. */
const loaders: Record<RuntimeName, () => Promise<Runtime>> = {
  native: async () => new (await import("./native/native-runtime.js")).NativeRuntime(),
  compose: async () => new (await import("./compose/compose-runtime.js")).ComposeRuntime(await docker()),
  kubernetes: async () => new (await import("./kubernetes/kubernetes-runtime.js")).KubernetesRuntime(await docker()),
};

/** The one real Docker client, handed to the runtimes that use Docker (loaded with them). */
async function docker() {
  return new (await import("../docker/docker-cli.js")).DockerCli();
}

/**
 * Every runtime zero knows: the table's names and capabilities (so `zero help` and the capability errors need no
 * runtime's code; a test checks each declaration against the runtime) with its loader.
 */
const registry: readonly {
  name: RuntimeName;
  capabilities: readonly CapabilityName[];
  exports: readonly string[];
  load: () => Promise<Runtime>;
}[] = runtimeTable.map((row) => ({ ...row, load: loaders[row.name] }));

export { runtimeNames };

/** Every runtime, loaded (`zero doctor` asks each for its prerequisites). */
export function allRuntimes(): Promise<Runtime[]> {
  return Promise.all(registry.map((entry) => entry.load()));
}

/** The runtime adapter for a name from --runtime / ZERO_RUNTIME. */
export function runtimeFor(name: string): Promise<Runtime> {
  const entry = registry.find((candidate) => candidate.name === name);
  if (!entry) {
    throw new ZeroError("ZERO_CONFIG_INVALID", `Unknown runtime "${name}".`, {
      why: "ZERO_RUNTIME (or --runtime / runtime=) names how to run the stack.",
      next: `Use one of: ${runtimeNames().join(", ")}.`,
    });
  }
  return entry.load();
}

/** The capabilities each runtime declares here (checked against the runtimes by a test). */
export function declaredCapabilities(): Record<string, { capabilities: readonly CapabilityName[]; exports: readonly string[] }> {
  return Object.fromEntries(registry.map(({ name, capabilities, exports }) => [name, { capabilities, exports }]));
}

/** The runtime that recorded a running stack in this home, with where (for down and status without a configuration). */
export async function runtimeWithRecord(home: string): Promise<{ runtime: Runtime; record: string } | undefined> {
  for (const runtime of await allRuntimes()) {
    const record = runtime.recordIn?.(home);
    if (record) return { runtime, record };
  }
  return undefined;
}

const WHAT: Record<CapabilityName, string> = {
  status: "show the stack's status",
  logs: "show logs",
  restart: "restart one service",
  traces: "show request traces (traces=1)",
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
  const able = registry.filter((entry) => entry.capabilities.includes(name)).map((entry) => entry.name);
  throw new ZeroError("ZERO_UNSUPPORTED", `The ${runtime.name} runtime cannot ${WHAT[name]}.`, {
    next: able.length > 0 ? `Runtimes that can: ${able.join(", ")} (runtime=${able[0]}).` : "No runtime can yet.",
  });
}

/** The runtime that exports a format (`zero export compose`). */
export async function exporterFor(format: string | undefined): Promise<Exporter> {
  const formats = registry.flatMap((entry) => entry.exports);
  const entry = registry.find((candidate) => format !== undefined && candidate.exports.includes(format));
  const exporter = (await entry?.load())?.capabilities.export?.find((candidate) => candidate.format === format);
  if (!exporter) {
    throw new ZeroError("ZERO_USAGE", `zero export knows ${formats.join(", ")}; got "${format ?? ""}".`, {
      next: `Run \`zero export ${formats[0] ?? ""}\`.`,
    });
  }
  return exporter;
}
