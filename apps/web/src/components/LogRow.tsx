import type { Ref } from "react";
import { levelOf, readableLine, splitMatches, type LogEntry } from "../lib/log-buffer";
import { serviceColour } from "../lib/service-colour";

const LEVEL_CLASS: Record<string, string> = {
  ERROR: "text-red-700 dark:text-red-400",
  WARN: "text-amber-700 dark:text-amber-300",
  DEBUG: "text-slate-500 dark:text-slate-400",
};
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hour12: false,
});

/** One log line: local time (UTC on hover), service, level-coloured text with search matches marked; JSON expands on click. */
export function LogRow({
  ref,
  index,
  top,
  entry,
  search,
  wrap,
  expanded,
  onToggle,
}: {
  ref: Ref<HTMLDivElement>;
  index: number;
  top: number;
  entry: LogEntry;
  search: string;
  wrap: boolean;
  expanded: boolean;
  onToggle: (entry: LogEntry) => void;
}) {
  const level = levelOf(entry.line);
  const isJson = entry.line.startsWith("{");
  const date = new Date(entry.ts);
  const text = readableLine(entry.line);
  return (
    <div
      ref={ref}
      data-index={index}
      className="absolute left-0 top-0 w-full px-3 hover:bg-slate-50 dark:hover:bg-slate-800"
      style={{ transform: `translateY(${top}px)` }}
    >
      <div className={`flex gap-2 ${wrap ? "whitespace-pre-wrap break-all" : "whitespace-pre"}`}>
        <time dateTime={entry.ts} title={`${entry.ts} (UTC)`} className="shrink-0 text-slate-500 dark:text-slate-400">
          {Number.isNaN(date.getTime()) ? entry.ts : timeFormat.format(date)}
        </time>
        <span className={`w-20 shrink-0 truncate font-semibold ${serviceColour(entry.service)}`} title={entry.service}>
          {entry.service}
        </span>
        {isJson ? (
          <button
            type="button"
            onClick={() => onToggle(entry)}
            aria-expanded={expanded}
            data-level={level}
            className={`text-left ${LEVEL_CLASS[level ?? ""] ?? "text-slate-800 dark:text-slate-200"}`}
          >
            <Highlighted text={text} search={search} />
          </button>
        ) : (
          <span className={LEVEL_CLASS[level ?? ""] ?? "text-slate-800 dark:text-slate-200"} data-level={level}>
            <Highlighted text={text} search={search} />
          </span>
        )}
      </div>
      {expanded && (
        <pre
          className="ml-32 whitespace-pre-wrap break-all rounded bg-slate-100 p-2 dark:bg-slate-800"
          data-testid="log-json"
        >
          {prettyJson(entry.line)}
        </pre>
      )}
    </div>
  );
}

function Highlighted({ text, search }: { text: string; search: string }) {
  return (
    <>
      {splitMatches(text, search).map((part) =>
        part.match ? (
          <mark key={part.offset} className="rounded-sm bg-yellow-200 text-inherit dark:bg-yellow-700">
            {part.text}
          </mark>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function prettyJson(line: string): string {
  try {
    return JSON.stringify(JSON.parse(line), null, 2);
  } catch {
    return line;
  }
}
