// Kept out of LogRow.tsx: React Fast Refresh keeps state only in modules that export components alone.
const SERVICE_COLOURS = [
  "text-sky-800 dark:text-sky-300",
  "text-violet-800 dark:text-violet-300",
  "text-emerald-800 dark:text-emerald-300",
  "text-orange-800 dark:text-orange-300",
  "text-pink-800 dark:text-pink-300",
  "text-teal-800 dark:text-teal-300",
];

/** The same colour for a service wherever it appears. */
export function serviceColour(service: string): string {
  let hash = 0;
  for (const char of service) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return SERVICE_COLOURS[hash % SERVICE_COLOURS.length]!;
}
