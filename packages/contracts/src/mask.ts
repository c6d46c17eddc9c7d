/** The one mask every part of the project prints in place of a secret (CLI, logs, API, dashboard). */
export const MASK = "****";

/** Variable names whose values are secrets and must never be printed or written. */
export function isSecretName(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY/i.test(name);
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]+@/gi;

/**
 * Replaces every known secret (and its URL-encoded and JSON-escaped forms, so text serialised before it reached the
 * masker is no way around it), and the password of any user:password@ in a URL, by MASK. Secrets shorter than 4
 * characters are left alone (they would mask ordinary text).
 */
export function createMasker(secrets: Iterable<string>): (text: string) => string {
  const needles = [...new Set([...secrets].filter((secret) => secret.length >= 4))]
    .flatMap((secret) => [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])])
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

/** A copy of a value to serialise with the masker applied to every string in it (keys included): mask, then stringify. */
export function maskDeep<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === "string") return mask(value) as T;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, mask)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [mask(key), maskDeep(item, mask)])) as T;
  }
  return value;
}
