import { useCallback, useState } from "react";
import { fetchEnvironment, type EnvironmentResult } from "../lib/environment";
import { usePolling } from "./usePolling";

/** The environment, re-read every intervalMs, and a function to re-read it now. */
export function useEnvironment(apiUrl: string, intervalMs: number): [EnvironmentResult, () => void] {
  const [refreshKey, setRefreshKey] = useState(0);
  const load = useCallback((signal: AbortSignal) => fetchEnvironment(apiUrl, signal), [apiUrl]);
  const result = usePolling<EnvironmentResult>(load, intervalMs, { kind: "loading" }, refreshKey);
  return [result, useCallback(() => setRefreshKey((key) => key + 1), [])];
}
