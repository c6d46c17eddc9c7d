// What zero knows of each runtime without loading it, in a module that imports nothing: config validation, help and
// errors read the names here, and the registry (runtimes/index.ts) adds how to load each. A new runtime is one folder
// under runtimes/, one row here and one loader in the registry.

/** Each runtime's name, what it can do (CapabilityName, checked by the registry) and the formats it exports. */
export const runtimeTable = [
  {
    name: "native",
    capabilities: ["status", "logs", "restart", "stop", "start", "backup", "restore", "debug", "snapshots", "traces"],
    exports: [],
  },
  {
    name: "compose",
    capabilities: ["status", "logs", "restart", "stop", "start", "exec", "backup", "restore", "snapshots", "export"],
    exports: ["compose"],
  },
  {
    name: "kubernetes",
    capabilities: ["status", "logs", "restart", "backup", "restore", "export"],
    exports: ["kubernetes", "helm"],
  },
] as const;

export type RuntimeName = (typeof runtimeTable)[number]["name"];

/** The runtime when neither ZERO_RUNTIME nor --runtime names one: the first row. */
export const defaultRuntime: RuntimeName = runtimeTable[0].name;

/** Every runtime's name, in the table's order. */
export function runtimeNames(): RuntimeName[] {
  return runtimeTable.map((row) => row.name);
}
