import { useEffect } from "react";
import type { Overall } from "../lib/status";

const COLOURS: Record<Overall, string> = {
  healthy: "#059669",
  starting: "#d97706",
  degraded: "#d97706",
  failed: "#dc2626",
  unknown: "#64748b",
};
const WORDS: Record<Overall, string> = {
  healthy: "Healthy",
  starting: "Starting",
  degraded: "Needs attention",
  failed: "Failed",
  unknown: "Connecting",
};

/**
 * The tab's title and favicon say the stack's state, so a failure shows in a background tab; the title names the
 * stack (folder and branch, as the summary does) so the tabs of two checkouts tell apart.
 */
export function useDocumentStatus(overall: Overall, stack?: string): void {
  useEffect(() => {
    document.title = `${WORDS[overall]}${stack ? ` · ${stack}` : ""} · Zero-to-Running`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${COLOURS[overall]}"/></svg>`;
    let link = document.querySelector<HTMLLinkElement>("link[rel=icon]");
    if (!link) {
      link = document.createElement("link");
      link.rel = "icon";
      document.head.append(link);
    }
    link.href = `data:image/svg+xml,${encodeURIComponent(svg)}`;
    link.dataset.state = overall;
  }, [overall, stack]);
}
