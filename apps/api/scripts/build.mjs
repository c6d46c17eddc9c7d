// Production build (the Docker image's api stage): src/ and @zero/* bundled into dist/server.mjs, and
// dist/migrate.mjs (the migrations alone: Kubernetes' init container, ADR 15).
// Usage (from apps/api): node scripts/build.mjs
import { build } from "esbuild";
import { productionBundleOptions } from "./server-bundle.mjs";

await build(productionBundleOptions("dist"));
