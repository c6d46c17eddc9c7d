import type { Project } from "./project.js";
import { clip } from "./clip.js";
import { isSecretName, MASK } from "./mask.js";
import { variableRules } from "./rules.js";
import { describeSource } from "./validate.js";

export interface SettingRow {
  name: string;
  value: string;
  source: string;
  description: string;
}

/** Every setting that matters to this stack: its effective value (secrets masked) and where it came from. */
export function effectiveSettings(project: Project): SettingRow[] {
  const defaults = defaultsInStack(JSON.stringify(project.stackFile.raw));
  const names = new Set([...Object.keys(variableRules), ...defaults.keys(), ...Object.keys(project.variables.values)]);
  names.delete("ZERO_HOME");
  return [...names].sort().map((name) => {
    const set = project.variables.values[name];
    const builtIn = variableRules[name]?.builtIn;
    const value = set ?? defaults.get(name) ?? builtIn ?? "";
    return {
      name: clip(name, 60),
      value: isSecretName(name) && value ? MASK : clip(value, 120),
      source:
        set !== undefined
          ? describeSource(project.variables.sources[name])
          : defaults.has(name)
            ? "default in stack.yaml"
            : builtIn !== undefined
              ? "built-in default"
              : "not set",
      description: variableRules[name]?.description ?? "",
    };
  });
}

/** `${NAME:-default}` pairs used in stack.yaml. */
function defaultsInStack(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}/g)) found.set(match[1]!, match[2]!);
  return found;
}
