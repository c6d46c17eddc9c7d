import { useVirtualizer } from "@tanstack/react-virtual";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import type { StreamState } from "../lib/event-stream";
import { devlog } from "../lib/devlog";
import { filterLogs, LEVELS, logsAsText, servicesIn, type Level, type LogEntry } from "../lib/log-buffer";
import { LogRow } from "./LogRow";

const ROW_PX = 20;
const AT_BOTTOM_PX = 24;

export interface LogFilters {
  service: string;
  level: string;
  search: string;
  wrap: boolean;
}

/**
 * The live logs of every service: filter by service and level, search with highlighting, follow the end and pause
 * when scrolled up, wrap, download, expand JSON lines. Only the rows on screen are in the DOM (virtualised), so
 * fifty thousand lines scroll and filter as smoothly as fifty.
 */
export function LogViewer({ lines, dropped = 0, state, services, filters, onFilters }: {
  lines: readonly LogEntry[];
  /** Older lines the page let go to stay within its bounds. */
  dropped?: number;
  state: StreamState;
  services: readonly string[];
  filters: LogFilters;
  onFilters: (change: Partial<LogFilters>) => void;
}) {
  devlog.render("LogViewer");
  const deferredSearch = useDeferredValue(filters.search); // typing stays responsive while a big buffer is filtered
  const level = (LEVELS as readonly string[]).includes(filters.level) ? (filters.level as Level) : "";
  const shown = useMemo(() => filterLogs(lines, { service: filters.service, search: deferredSearch, level }), [lines, filters.service, deferredSearch, level]);
  const choices = useMemo(() => servicesIn(lines, services), [lines, services]);
  const [following, setFollowing] = useState(true);
  const [expanded, setExpanded] = useState<ReadonlySet<LogEntry>>(new Set());
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
    measureElement: (element) => element.getBoundingClientRect().height,
  });

  useEffect(() => {
    if (following && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: "end" });
  }, [following, shown.length, virtualizer]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < AT_BOTTOM_PX;
    if (atBottom !== following) setFollowing(atBottom);
  };
  const toggle = (entry: LogEntry) =>
    setExpanded((before) => {
      const next = new Set(before);
      if (!next.delete(entry)) next.add(entry);
      return next;
    });
  const download = () => {
    const url = URL.createObjectURL(new Blob([logsAsText(shown)], { type: "text/plain" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `logs-${filters.service || "all"}-${new Date().toISOString().replaceAll(":", "-")}.log` });
    link.click();
    URL.revokeObjectURL(url);
  };

  const control = "rounded-md border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800";
  return (
    <div className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-3 text-sm dark:border-slate-700">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600 dark:text-slate-400">Service</span>
          <select value={filters.service} onChange={(e) => onFilters({ service: e.target.value })} data-testid="log-service" className={control}>
            <option value="">All services</option>
            {choices.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600 dark:text-slate-400">Level</span>
          <select value={level} onChange={(e) => onFilters({ level: e.target.value })} data-testid="log-level" className={control}>
            <option value="">All levels</option>
            {LEVELS.map((name) => <option key={name} value={name}>{name} and above</option>)}
          </select>
        </label>
        <label className="flex min-w-0 flex-1 flex-col gap-1">
          <span className="text-slate-600 dark:text-slate-400">Search</span>
          <input type="search" value={filters.search} onChange={(e) => onFilters({ search: e.target.value })} placeholder="text in the line" data-testid="log-search" className={`w-full min-w-0 ${control}`} />
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={filters.wrap} onChange={(e) => onFilters({ wrap: e.target.checked })} data-testid="log-wrap" />
          Wrap
        </label>
        <button type="button" onClick={download} className={`${control} font-medium`} data-testid="log-download">Download</button>
        <span className="text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="log-count">
          {shown.length.toLocaleString()} of {lines.length.toLocaleString()} lines · {following ? state : "paused"}
        </span>
        {dropped > 0 && (
          <span className="text-slate-600 dark:text-slate-400" data-testid="log-dropped" title="The page keeps the newest lines only; make logs has them all.">
            {dropped.toLocaleString()} older {dropped === 1 ? "line" : "lines"} dropped (make logs has all)
          </span>
        )}
      </div>
      <div className="relative">
        <div
          ref={scroller}
          onScroll={onScroll}
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
                <LogRow
                  key={row.key}
                  ref={virtualizer.measureElement}
                  index={row.index}
                  top={row.start}
                  entry={entry}
                  search={deferredSearch}
                  wrap={filters.wrap}
                  expanded={expanded.has(entry)}
                  onToggle={toggle}
                />
              );
            })}
          </div>
        </div>
        {!following && (
          <button
            type="button"
            onClick={() => setFollowing(true)}
            data-testid="log-jump"
            className="absolute bottom-3 right-5 rounded-full bg-sky-700 px-3 py-1 text-xs font-medium text-white shadow focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-300"
          >
            Paused · jump to latest ↓
          </button>
        )}
      </div>
    </div>
  );
}
