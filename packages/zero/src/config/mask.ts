/** Variable names whose values are secrets and must never be printed or written. */
export function isSecretName(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY/i.test(name);
}

export const MASK = "****";

/** Replaces every known secret (and its URL-encoded form) in a text by ****. */
export function createMasker(secrets: Iterable<string>): (text: string) => string {
  const needles = [...new Set([...secrets].filter((secret) => secret.length >= 4))]
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (text) => text;
  const pattern = new RegExp(needles.map(escapeRegExp).join("|"), "g");
  return (text) => text.replace(pattern, MASK);
}

/** The secret values among a set of variables. */
export function secretValues(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([name]) => isSecretName(name))
    .map(([, value]) => value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
