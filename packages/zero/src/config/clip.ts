/** Shortens a value for a message: a 1 MB value must never be echoed whole (terminals, logs, CI output). */
export function clip(text: string, max = 80): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length} characters)`;
}
