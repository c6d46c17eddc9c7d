// esbuild options shared by the dev runner (dev.mjs) and the production build (build.mjs).
// npm packages load natively from node_modules; the repository's own workspaces (@zero/*) are TypeScript
// sources, so they are bundled like src/.
const externalPackages = {
  name: "external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@zero/") ? undefined : { path: args.path, external: true }));
  },
};

/** Bundles src/server.ts (run from apps/api) to <outdir>/server.mjs. */
export function serverBundleOptions(outdir, plugins = []) {
  return {
    entryPoints: ["src/server.ts"],
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    plugins: [...plugins, externalPackages], // the caller's resolvers first (the dev runner's vendor bundle)
  };
}

/** The production image's bundles: the server and the migration step, each self-contained. */
export function productionBundleOptions(outdir) {
  return { ...serverBundleOptions(outdir), entryPoints: ["src/server.ts", "src/migrate.ts"], sourcemap: "linked" };
}
