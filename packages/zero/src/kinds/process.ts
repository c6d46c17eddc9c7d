import type { KindDefinition } from "./kind.js";

/**
 * Any program: natively its command runs from the service's folder (node_modules/.bin first on PATH);
 * in containers, the image or build named under `container:`.
 */
export const processKind: KindDefinition = {
  description: "Any command (a binary from the OS or node_modules, a Python worker)",
  requires: { command: true },
  native: { driver: "command" },
  container: { limits: { memory: "512m", cpus: 1 }, probeTool: "shell" },
};
