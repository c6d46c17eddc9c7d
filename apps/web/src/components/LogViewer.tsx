import { useVirtualizer } from "@tanstack/react-virtual";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import type { StreamState } from "../hooks/useLogStream";
import { filterLogs, readableLine, servicesIn, type LogEntry } from "../lib/log-buffer";

const ROW_PX = 20;

/**
 * The live logs of every service: filter by service, search text, follow the end. Only the rows on screen are in
 * the DOM (virtualised), so fifty thousand lines scroll and filter as smoothly as fifty.
 */
export function LogViewer({ lines, state, services }: { lines: readonly LogEntry[]; state: StreamState; services: readonly string[] }) {
  const [service, setService] = useState("");
  const [search, setSearch] = useState("");
  const [follow, setFollow] = useState(true);
  const deferredSearch = useDeferredValue(search); // typing stays responsive while a big buffer is filtered
  const shown = useMemo(() => filterLogs(lines, { service, search: deferredSearch }), [lines, service, deferredSearch]);
  const choices = useMemo(() => servicesIn(lines, services), [lines, services]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 20 });

  useEffect(() => {
    if (follow && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: "end" });
  }, [follow, shown.length, virtualizer]);

  return (
    <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Service</span>
          <select value={service} onChange={(e) => setService(e.target.value)} data-testid="log-service" className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All services</option>
            {choices.map((name) => (
              <option key={name} value={name}>{name}</option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 flex-1 flex-col gap-1">
          <span className="text-slate-600">Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="text in the line" data-testid="log-search" className="w-full min-w-0 rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
        <span className="text-slate-600" aria-live="polite" data-testid="log-count">
          {shown.length.toLocaleString()} of {lines.length.toLocaleString()} lines · {state}
        </span>
      </div>
      <div
        ref={scroller}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it.
        tabIndex={0}
        role="log"
        aria-label="Service logs"
        data-testid="log-lines"
        className="h-96 overflow-auto font-mono text-xs focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((row) => {
            const entry = shown[row.index]!;
            return (
              <div key={row.key} className="absolute left-0 top-0 flex w-full gap-2 whitespace-pre px-3" style={{ height: ROW_PX, transform: `translateY(${row.start}px)` }}>
                <span className="shrink-0 text-slate-400">{entry.ts.slice(11, 23)}</span>
                <span className="w-16 shrink-0 truncate font-semibold text-sky-800">{entry.service}</span>
                <span className="text-slate-800">{readableLine(entry.line)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
