/** The API's base URL comes from configuration (VITE_API_URL, set by zero from stack.yaml). */
export const apiUrl: string = (import.meta.env.VITE_API_URL as string | undefined) ?? "http://127.0.0.1:3001";

/** How often the dashboard refreshes; tests shorten it. */
export const pollMs = Number(import.meta.env.VITE_POLL_MS ?? 10_000);
