import type { ApiHealth } from "./readiness";

// Kept out of App.tsx: React Fast Refresh keeps state only in modules that export components alone.
/** The landing page's title: ready only when the API says every dependency answers. */
export function headline(health: ApiHealth): string {
  if (health.kind === "answered" && health.readiness.status === "ready") return "Zero-to-Running Environment - Ready!";
  return "Zero-to-Running Environment - Waiting for the API";
}
