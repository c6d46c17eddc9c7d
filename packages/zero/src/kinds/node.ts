import type { KindDefinition } from "./kind.js";

/** A Node program of this repository (the API, the web dev server). */
export const nodeKind: KindDefinition = {
  description: "Node program from this repository",
  requires: { command: true },
  container: {
    image: { variable: "NODE_IMAGE", default: "node:22-bookworm-slim" },
    build: true,
    sourceMounts: true,
    limits: { memory: "1g", cpus: 1 },
    probeTool: "node",
  },
};
