// The web app's own logging to the browser console, for development only: API calls (method, URL, status, time)
// and component renders, behind VITE_LOG_LEVEL (debug, info, warn, error, silent; default info). In a production
// build `import.meta.env.DEV` is false, so every call below is removed as dead code.

const ORDER = ["debug", "info", "warn", "error", "silent"] as const;
type Level = (typeof ORDER)[number];

const configured = String(import.meta.env.VITE_LOG_LEVEL ?? "info").toLowerCase() as Level;
const threshold = ORDER.includes(configured) ? ORDER.indexOf(configured) : 1;

function write(level: Exclude<Level, "silent">, message: string, details?: unknown) {
  if (!import.meta.env.DEV || ORDER.indexOf(level) < threshold) return;
  const print =
    level === "debug"
      ? console.debug
      : level === "info"
        ? console.info
        : level === "warn"
          ? console.warn
          : console.error;
  if (details === undefined) print(`[web] ${message}`);
  else print(`[web] ${message}`, details);
}

export const devlog = {
  debug: (message: string, details?: unknown) => write("debug", message, details),
  info: (message: string, details?: unknown) => write("info", message, details),
  warn: (message: string, details?: unknown) => write("warn", message, details),
  error: (message: string, details?: unknown) => write("error", message, details),
  /** One API call: method, URL, status and how long it took. */
  call(method: string, url: string, status: number | string, began: number) {
    const ms = Math.round(performance.now() - began);
    write(typeof status === "number" && status >= 400 ? "warn" : "info", `${method} ${url} → ${status} in ${ms} ms`);
  },
  /** A component rendered (debug level: many per second while logs stream). */
  render(component: string) {
    write("debug", `render ${component}`);
  },
};
