import { useCallback } from "react";
import { checkApi, type ApiHealth } from "../lib/readiness";
import { usePolling } from "./usePolling";

/** The API's readiness, re-checked every intervalMs. */
export function useApiHealth(apiUrl: string, intervalMs: number): ApiHealth {
  const load = useCallback((signal: AbortSignal) => checkApi(apiUrl, signal), [apiUrl]);
  return usePolling<ApiHealth>(load, intervalMs, { kind: "loading" });
}
