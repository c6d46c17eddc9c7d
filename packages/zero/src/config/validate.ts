import { ZeroError } from "../errors/zero-error.js";
import { clip } from "./clip.js";
import { isSecretName, MASK } from "./mask.js";
import { ruleFor } from "./rules.js";
import type { Source, Variables } from "./variables.js";

/** Checks every known variable at once; throws one ZERO_CONFIG_INVALID listing all problems. */
export function validateVariables(variables: Variables): void {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(variables.values)) {
    const rule = ruleFor(name);
    if (!rule || rule.accepts(value)) continue;
    const shown = isSecretName(name) ? MASK : JSON.stringify(clip(value));
    problems.push(
      `- ${name}=${shown} (${describeSource(variables.sources[name])}): expected ${rule.accepted}, e.g. ${name}=${rule.example}`,
    );
  }
  if (problems.length > 0) {
    throw new ZeroError("ZERO_CONFIG_INVALID", `${problems.length} setting${problems.length > 1 ? "s are" : " is"} invalid; nothing was started.`, {
      details: problems,
      next: "Correct the values above in the file and line shown, then run the command again (`make config` shows every setting).",
    });
  }
}

/** ".env line 12", "environment", "--set flag", "stack.yaml (profile test)". */
export function describeSource(source: Source | undefined): string {
  if (!source) return "default in stack.yaml";
  switch (source.kind) {
    case "file":
      return `${source.file} line ${source.line}`;
    case "profile":
      return "stack.yaml profile variables";
    case "environment":
      return "environment variable";
    case "flag":
      return "command-line flag";
  }
}
