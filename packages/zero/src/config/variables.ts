import { join } from "node:path";
import { interpolate } from "../stack/interpolate.js";
import { profileMembers } from "../stack/profiles.js";
import type { StackFile } from "../stack/load.js";
import { readEnvFile } from "./env-file.js";
import { clip } from "./clip.js";
import { closestName, lintEnvFile } from "./env-lint.js";
import { variableRules } from "./rules.js";
import { imageVariables } from "../kinds/index.js";

/** Where a variable's effective value came from, for `zero config` and error messages. */
export interface Source {
  kind: "profile" | "file" | "environment" | "flag";
  file?: string;
  line?: number;
}

export interface Variables {
  values: Record<string, string>;
  sources: Record<string, Source>;
  /** Suspicious input that was accepted: duplicated keys, binary lines, likely typos (file and line named). */
  warnings: string[];
}

export interface VariableInputs {
  root: string;
  stackFile: StackFile;
  profile: string;
  env: Record<string, string | undefined>;
  flags: Record<string, string>;
  /** The developer's file: .env, or .env.example read in its place when .env does not exist yet (read-only commands). */
  envFile?: string;
}

/**
 * Layers variables, lowest first: the profile's defaults in stack.yaml < .env < .env.<profile>
 * < process environment < command-line flags. Isolated profiles skip the developer's .env.
 */
export function resolveVariables({
  root,
  stackFile,
  profile,
  env,
  flags,
  envFile = ".env",
}: VariableInputs): Variables {
  const values: Record<string, string> = {};
  const sources: Record<string, Source> = {};
  const set = (name: string, value: string, source: Source) => {
    values[name] = value;
    sources[name] = source;
  };
  const definition = stackFile.profiles[profile];
  for (const [name, value] of Object.entries(definition?.variables ?? {})) {
    set(name, value, { kind: "profile", file: "stack.yaml" });
  }
  const warnings: string[] = [];
  const used = new Set([...Object.keys(values), ...referencedVariables(stackFile), ...Object.keys(variableRules)]);
  const perProfile = profileMembers(stackFile.profiles, profile).map((member) => `.env.${member}`);
  const files = definition?.isolated ? perProfile : [envFile, ...perProfile];
  for (const file of files) {
    warnings.push(...lintEnvFile(join(root, file), file));
    for (const [name, entry] of Object.entries(readEnvFile(join(root, file)) ?? {})) {
      set(name, entry.value, { kind: "file", file, line: entry.line });
      const suggestion = used.has(name) ? undefined : closestName(name, used);
      if (suggestion)
        warnings.push(
          `${file} line ${entry.line}: ${clip(name, 60)} is not used by stack.yaml; did you mean ${suggestion}?`,
        );
    }
  }
  const known = new Set([...Object.keys(values), ...referencedVariables(stackFile)]);
  for (const name of known) {
    const value = env[name];
    if (value !== undefined) set(name, value, { kind: "environment" });
  }
  for (const [name, value] of Object.entries(flags)) set(name, value, { kind: "flag" });
  // A profile's variables may use ${…} (https: `https://app.localhost:${HTTPS_PORT:-8443}`), filled in from the final values.
  for (const [name, source] of Object.entries(sources)) {
    if (source.kind === "profile") values[name] = interpolate(values[name]!, values).value;
  }
  return { values, sources, warnings };
}

/** Names used as ${NAME} anywhere in stack.yaml (defaults included), so only those are taken from the environment. */
function referencedVariables(stackFile: StackFile): string[] {
  return [...interpolate(stackFile.raw, {}).used, ...zeroVariables];
}

/** zero's own settings, read from the environment even though stack.yaml does not mention them. */
const zeroVariables = [
  "ZERO_HOME",
  "ZERO_RUNTIME",
  "ZERO_PROFILE",
  "LOG_LEVEL",
  "AUTO_SEED",
  // The compose runtime's images (each kind names the variable for its own) and project name (docs/runtimes.md).
  ...imageVariables(),
  "COMPOSE_PROJECT_NAME",
  // The kubernetes runtime's context, namespace, registry and image building (docs/kubernetes.md).
  "ZERO_KUBE_CONTEXT",
  "ZERO_K8S_NAMESPACE",
  "ZERO_IMAGE_REGISTRY",
  "ZERO_K8S_BUILD",
  // How many restore points before migrations to keep, and one database state per git branch (docs/database.md).
  "ZERO_RESTORE_POINTS",
  "ZERO_BRANCH_DATA",
];
