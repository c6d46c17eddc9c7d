// The architecture's rules (docs/architecture.md), checked by `make lint` and so by `make test`.
// Each rule's comment is what a developer reads when it fires: why the import is wrong, and where to put the code.
// test/unit/architecture.test.ts proves that every rule fires on a deliberate violation.
const src = "^packages/zero/src/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles make load order fragile and layers meaningless: move the shared part down into a module both can use.",
      from: {},
      to: { circular: true },
    },
    {
      name: "runtime-imports-no-other-runtime",
      severity: "error",
      comment:
        "A runtime is one folder: share code through a runtime-neutral folder (containers/, processes/, orchestrate/), never another runtime's.",
      from: { path: `${src}runtimes/([^/]+)/` },
      to: { path: `${src}runtimes/[^/]+/`, pathNot: `${src}runtimes/$1/` },
    },
    {
      name: "runtime-folders-only-through-the-registry",
      severity: "error",
      comment:
        "Only the registry (runtimes/index.ts) knows the runtimes: ask it for a runtime and a capability (runtimes/runtime.ts) instead of importing a runtime's folder.",
      from: { path: src, pathNot: [`${src}runtimes/`, `${src}cli/`] },
      to: { path: `${src}runtimes/[^/]+/` },
    },
    {
      name: "cli-imports-no-runtime",
      severity: "error",
      comment: "The CLI only prints: it asks runtimes/index.ts for a capability and never imports a runtime's folder.",
      from: { path: `${src}cli/` },
      to: { path: `${src}runtimes/[^/]+/` },
    },
    {
      name: "model-imports-no-user",
      severity: "error",
      comment:
        "The model (stack/, kinds/) knows no process, container, runtime or terminal: move the code that needs them up into its user.",
      from: { path: `${src}(stack|kinds)/` },
      to: { path: src, pathNot: `${src}(stack|kinds|errors)/` },
    },
    {
      name: "kinds-import-no-stack",
      severity: "error",
      comment:
        "The stack builds its kind enum from kinds/, so kinds/ sits below it: read a service through KindService (kinds/kind.ts), not stack/.",
      from: { path: `${src}kinds/` },
      to: { path: `${src}stack/` },
    },
    {
      name: "kind-files-only-through-the-registry",
      severity: "error",
      comment:
        "A kind is one file read through the registry: use kindOf(service) from kinds/index.ts and a fact of KindDefinition, never a kind's own file.",
      from: { pathNot: `${src}kinds/index\\.ts$` },
      to: { path: `${src}kinds/`, pathNot: `${src}kinds/(index|kind)\\.ts$` },
    },
    {
      name: "kubernetes-render-is-pure",
      severity: "error",
      comment:
        "runtimes/kubernetes/render/ only builds objects and text from the stack: code that talks to a cluster, runs a tool or touches files goes beside deploy.ts in runtimes/kubernetes/, which calls render/.",
      from: { path: `${src}runtimes/kubernetes/render/` },
      to: {
        path: [
          `${src}runtimes/kubernetes/[^/]+$`,
          `${src}(processes|orchestrate|health|control)/`,
          "(^|/)node_modules/(@kubernetes/client-node|execa)/",
          "^(node:)?(child_process|fs|fs/promises|net|http|https|dgram|worker_threads)$",
        ],
      },
    },
    {
      name: "docker-client-is-injected",
      severity: "error",
      comment:
        "Docker is one client handed to its users: take a DockerClient (docker/docker-client.ts) as a parameter; only runtimes/index.ts and the compose control server's main create the real one.",
      from: {
        path: src,
        pathNot: [`${src}runtimes/index\\.ts$`, `${src}runtimes/compose/control/compose-control-main\\.ts$`],
      },
      to: { path: `${src}docker/docker-cli\\.ts$` },
    },
    {
      name: "fake-docker-only-in-tests",
      severity: "error",
      comment:
        "The fake Docker answers from memory for unit tests (*.test.ts) only: code that runs takes the DockerClient it is given.",
      from: { path: src, pathNot: "\\.test\\.ts$" },
      to: { path: `${src}docker/fake-docker\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
