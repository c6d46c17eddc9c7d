/** The one mask every part of the project prints in place of a secret (CLI, logs, API, dashboard). */
export const MASK = "****";

/** Variable names whose values are secrets and must never be printed or written. */
export function isSecretName(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY/i.test(name);
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]+@/gi;

/**
 * Replaces every known secret (and its URL-encoded form), and the password of any user:password@ in a URL,
 * by MASK. Secrets shorter than 4 characters are left alone (they would mask ordinary text).
 */
export function createMasker(secrets: Iterable<string>): (text: string) => string {
  const needles = [...new Set([...secrets].filter((secret) => secret.length >= 4))]
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .sort((a, b) => b.length - a.length);
  const pattern = needles.length > 0 ? new RegExp(needles.map(escapeRegExp).join("|"), "g") : undefined;
  return (text) => {
    const known = pattern ? text.replace(pattern, MASK) : text;
    return known.replace(URL_CREDENTIALS, `$1${MASK}@`);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
