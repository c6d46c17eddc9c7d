import picomatch from "picomatch";
import type { WatchRule } from "../stack/schema.js";
import type { ContainerTarget, ContainerWatch } from "./spec.js";

/** Each glob of a rule becomes one trigger on its folder (Compose watches paths, not globs). */
export function containerWatch(rules: WatchRule[], target: ContainerTarget): ContainerWatch[] {
  return rules.flatMap((rule) =>
    rule.path.map((glob) => {
      const { base, glob: below, isGlob } = picomatch.scan(glob);
      const folder = base || ".";
      const ignore = (rule.ignore ?? []).map((pattern) => relativeTo(folder, pattern));
      return {
        path: target.path(folder),
        action: action(rule),
        ...(rule.target ? { target: rule.target } : {}),
        ...(isGlob ? { include: [below] } : {}),
        ...(ignore.length > 0 ? { ignore } : {}),
        ...(rule.exec ? { exec: { command: rule.exec } } : {}),
      };
    }),
  );
}

function action(rule: WatchRule): ContainerWatch["action"] {
  if (rule.action !== "sync") return rule.action;
  return rule.exec ? "sync+exec" : rule.restart ? "sync+restart" : "sync";
}

/** An ignore glob relative to the trigger's folder: "apps/w/src/**\/*.test.ts" → "**\/*.test.ts"; "**\/x" stays. */
function relativeTo(folder: string, pattern: string): string {
  if (folder !== "." && pattern.startsWith(`${folder}/`)) return pattern.slice(folder.length + 1);
  return pattern;
}
