import { resolve } from "node:path";
import { isZeroError, ZeroError } from "../errors/zero-error.js";
import { readEnvFile } from "./env-file.js";
import type { Project, ProjectOptions } from "./project.js";
import { findRoot } from "./root.js";

/**
 * The project as far as stopping and status need it, without stack.yaml or .env: the root (cwd when stack.yaml
 * is gone), the stack's home (a --set or environment ZERO_HOME, else .env's line read leniently, else .zero) and
 * the runtime that recorded a stack there. No services, no variables, no secrets: whatever runs is read from the
 * runtime's own record (native: <home>/state.json), never from the broken file.
 */
export function projectFromRecord(options: ProjectOptions, runtime: string, home: string): Project {
  const root = rootOrCwd(options.cwd);
  return {
    root,
    stackFile: { path: resolve(root, "stack.yaml"), name: "", profiles: {}, secrets: [], raw: {}, notes: [] },
    profile: options.profile ?? "",
    runtime,
    variables: { values: {}, sources: {}, warnings: [] },
    stack: { name: "", profile: "", services: {} },
    home,
    secrets: [],
    mask: (text) => text,
    fingerprint: "",
    notes: [],
    placeholders: [],
    fromRecord: true,
  };
}

/** Where the stack's home is when the configuration cannot be loaded (a broken .env is read line by line). */
export function recordedHome(options: ProjectOptions): string {
  const root = rootOrCwd(options.cwd);
  const fromEnvFile = () => {
    try {
      return readEnvFile(resolve(root, ".env"))?.ZERO_HOME?.value;
    } catch {
      return undefined; // unreadable: the default
    }
  };
  return resolve(root, options.set?.ZERO_HOME || options.env.ZERO_HOME || fromEnvFile() || ".zero");
}

/**
 * The load error of `down`/`status` when no runtime recorded a stack in the home. A Kubernetes deployment lives in
 * the cluster and is not recorded on this machine: zero needs stack.yaml to find it, and says so with both ways out
 * (fix the file, or remove it with kubectl) instead of the file's error alone.
 */
export function withoutRecord(error: unknown, options: ProjectOptions): unknown {
  if (!isZeroError(error) || chosenRuntime(options) !== "kubernetes") return error;
  const namespace =
    options.set?.ZERO_K8S_NAMESPACE || options.env.ZERO_K8S_NAMESPACE || envFileValue(options, "ZERO_K8S_NAMESPACE");
  return new ZeroError(
    error.code,
    `${error.message} A Kubernetes stack is not recorded on this machine: zero needs the configuration to find it in the cluster, so nothing was read or stopped.`,
    {
      details: error.details,
      why: error.why,
      next: `Fix the file as named above, then run the command again (\`make down runtime=kubernetes\`); or remove the stack without zero: \`kubectl delete namespace ${namespace || "<the stack's namespace: its name in stack.yaml, or ZERO_K8S_NAMESPACE>"}\` (that deletes its data too).`,
    },
  );
}

/** The runtime asked for: --runtime, --set, the environment, else .env's line read leniently. */
function chosenRuntime(options: ProjectOptions): string | undefined {
  return (
    options.runtime || options.set?.ZERO_RUNTIME || options.env.ZERO_RUNTIME || envFileValue(options, "ZERO_RUNTIME")
  );
}

function envFileValue(options: ProjectOptions, name: string): string | undefined {
  try {
    return readEnvFile(resolve(rootOrCwd(options.cwd), ".env"))?.[name]?.value;
  } catch {
    return undefined;
  }
}

function rootOrCwd(cwd: string): string {
  try {
    return findRoot(cwd);
  } catch {
    return resolve(cwd); // stack.yaml is gone: the record is looked for from here
  }
}
