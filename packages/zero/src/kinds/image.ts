import type { KindDefinition } from "./kind.js";

/**
 * Any container image (`container.image`). Natively it runs its `command` as a process when it has one;
 * otherwise the native runtime refuses it, or skips it with `native: skip`.
 */
export const imageKind: KindDefinition = {
  description: "Any container image (natively: its command, or skipped/refused)",
  requires: { containerImage: true },
  native: { driver: "command", skippable: true },
  container: { limits: { memory: "512m", cpus: 1 }, probeTool: "shell", commandFromImage: true },
};
