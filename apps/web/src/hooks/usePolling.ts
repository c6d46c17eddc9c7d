import { useEffect, useState } from "react";

/**
 * Runs `load` now and every `intervalMs`, keeping the latest result. In-flight requests are
 * aborted and the timer cleared on unmount, so nothing leaks. Changing `refreshKey` loads again at once.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, initial: T, refreshKey = 0): T {
  const [value, setValue] = useState<T>(initial);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is not read inside; changing it is what re-runs the effect.
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        setValue(await load(controller.signal));
      } catch {
        if (controller.signal.aborted) return;
      }
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load, intervalMs, refreshKey]);
  return value;
}
