import { useCallback, useEffect, useState } from "react";

/** One query parameter as state: filters live in the URL, so a view can be bookmarked, shared and reloaded. */
export function useUrlState(name: string, fallback = ""): [string, (value: string) => void] {
  const read = useCallback(() => new URLSearchParams(window.location.search).get(name) ?? fallback, [name, fallback]);
  const [value, setValue] = useState(read);
  useEffect(() => {
    const onPop = () => setValue(read());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [read]);
  const update = useCallback(
    (next: string) => {
      setValue(next);
      const url = new URL(window.location.href);
      if (next === fallback) url.searchParams.delete(name);
      else url.searchParams.set(name, next);
      window.history.replaceState(null, "", url);
    },
    [name, fallback],
  );
  return [value, update];
}
