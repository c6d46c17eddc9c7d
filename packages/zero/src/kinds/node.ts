import type { KindDefinition } from "./kind.js";

/** A Node program of this repository (the API, the web dev server). */
export const nodeKind: KindDefinition = {
  description: "Node program from this repository",
  requires: { command: true },
  // The API and the web dev server read the control API (the environment endpoint, the dashboard's /__zero relay).
  control: true,
  native: {
    driver: "command",
    // Memory of the long-lived dev processes, no more start CPU (docs/performance.md, "Memory"):
    env: {
      // a 1 MB young generation instead of V8's 16 MB semi-spaces, on the Node that runs zero (the services' too, from
      // the same PATH): ~24 MB less PSS over Vite and the API, and faster starts and reloads on Node 24 and 26. Not on
      // Node 20 (end of life), where its scavenges cost more than they save: warm `make dev` ~70 ms and `make down`
      // ~40 ms sooner without it, the PSS at rest as low (docs/performance.md, tenth round).
      ...(Number(process.versions.node.split(".")[0]) >= 22 && { NODE_OPTIONS: "--max-semi-space-size=1" }),
      // Vite's bundler (Rolldown, on mimalloc) returns freed pages at once, not when its idle threads next allocate: ~15 MB.
      MIMALLOC_PURGE_DELAY: "0",
      // and does not ask for transparent huge pages: each 2 MB page it touches stays resident whole, ~30 MB in Vite.
      MIMALLOC_ALLOW_THP: "0",
    },
  },
  container: {
    image: { variable: "NODE_IMAGE", default: "node:22-bookworm-slim" },
    // The Dockerfile's node stages run as USER node.
    uid: 1000,
    build: true,
    sourceMounts: true,
    limits: { memory: "1g", cpus: 1 },
    probeTool: "node",
  },
};
