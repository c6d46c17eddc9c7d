// Production build (the Docker image's api stage): src/ and @zero/* bundled into dist/server.mjs.
// Usage (from apps/api): node scripts/build.mjs
import { build } from "esbuild";
import { serverBundleOptions } from "./server-bundle.mjs";

await build({ ...serverBundleOptions("dist"), sourcemap: "linked" });
