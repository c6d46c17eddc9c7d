// Bundles the CLI and the supervisor into dist/: one file each starts faster than hundreds of modules.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/cli/main.ts", supervisor: "src/supervisor/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
