import { resolve } from "node:path";
import { readEnvFile } from "./env-file.js";
import { findRoot, type Project, type ProjectOptions } from "./project.js";

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

function rootOrCwd(cwd: string): string {
  try {
    return findRoot(cwd);
  } catch {
    return resolve(cwd); // stack.yaml is gone: the record is looked for from here
  }
}
