import { createMasker } from "@zero/contracts/mask";

// Builds a function that removes the passwords of the given URLs (and any user:password@ in a URL) from a text,
// so dependency error messages can be shown and logged without leaking credentials. The masking itself is the
// project's one masker (@zero/contracts).
export function createSecretMasker(urls: Array<string | undefined>): (text: string) => string {
  return createMasker(urls.flatMap(readPasswords));
}

function readPasswords(url: string | undefined): string[] {
  if (!url || !URL.canParse(url)) return [];
  const encoded = new URL(url).password;
  if (!encoded) return [];
  return [...new Set([encoded, decodeOrKeep(encoded)])];
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
