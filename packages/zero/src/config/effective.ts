import { interpolate } from "../stack/interpolate.js";
import type { Project } from "./project.js";
import { clip } from "./clip.js";
import { isSecretName, MASK } from "./mask.js";
import { ruleFor, variableRules } from "./rules.js";
import { describeSource } from "./validate.js";

export interface SettingRow {
  name: string;
  value: string;
  source: string;
  description: string;
}

/** Every setting that matters to this stack: its effective value (secrets masked) and where it came from. */
export function effectiveSettings(project: Project): SettingRow[] {
  const defaults = defaultsInStack(project);
  const names = new Set([...Object.keys(variableRules), ...defaults.keys(), ...Object.keys(project.variables.values)]);
  names.delete("ZERO_HOME");
  return [...names].sort().map((name) => {
    const set = project.variables.values[name];
    const builtIn = ruleFor(name)?.builtIn;
    const value = set ?? defaults.get(name) ?? builtIn ?? "";
    return {
      name: clip(name, 60),
      value: isSecretName(name) && value ? MASK : clip(project.mask(value), 120),
      source:
        set !== undefined
          ? describeSource(project.variables.sources[name])
          : defaults.has(name)
            ? "default in stack.yaml"
            : builtIn !== undefined
              ? "built-in default"
              : "not set",
      description: ruleFor(name)?.description ?? "",
    };
  });
}

/**
 * The default each unset variable takes, as the services get it: from the same interpolation that resolved the
 * stack (nested defaults evaluated with this project's variables), not from the text of stack.yaml.
 */
function defaultsInStack(project: Project): Map<string, string> {
  const found = new Map<string, string>();
  for (const reference of interpolate(project.stackFile.raw, project.variables.values).references) {
    // container: blocks hold what containers get (zero export shows them); this is what the processes get.
    if (reference.from === "default" && !found.has(reference.variable) && !reference.path.includes(".container."))
      found.set(reference.variable, reference.default ?? "");
  }
  return found;
}
