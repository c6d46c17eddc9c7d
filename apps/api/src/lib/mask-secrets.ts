const MASK = "***";
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]+@/gi;

// Builds a function that removes the passwords of the given URLs (and any user:password@ in a URL) from a text,
// so dependency error messages can be shown and logged without leaking credentials.
export function createSecretMasker(urls: Array<string | undefined>): (text: string) => string {
  const secrets = urls.flatMap(readPasswords).sort((a, b) => b.length - a.length);
  return (text) => {
    let masked = text.replace(URL_CREDENTIALS, `$1${MASK}@`);
    for (const secret of secrets) masked = masked.split(secret).join(MASK);
    return masked;
  };
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
