// One masker for the whole project (packages/contracts/src/mask.ts): the same mask string in the CLI, the
// supervisor's logs, the API and the dashboard.
import { isSecretName } from "@zero/contracts/mask";

export { createMasker, isSecretName, MASK } from "@zero/contracts/mask";

/** The secret values among a set of variables. */
export function secretValues(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([name]) => isSecretName(name))
    .map(([, value]) => value);
}
