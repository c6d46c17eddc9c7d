import {
  type TraceDetail,
  type TraceList,
  type TraceOrder,
  type TraceSpan,
  traceDetailSchema,
  traceListSchema,
} from "@zero/contracts/control";
import { useCallback, useEffect, useState } from "react";
import { readAnswer } from "../lib/contract";
import { controlError, controlFetch } from "../lib/control";

const ORDERS: Array<[TraceOrder, string]> = [
  ["recent", "Recent"],
  ["slowest", "Slowest"],
  ["failed", "Failed"],
];
const REFRESH_MS = 3_000;

/**
 * The API's request traces (traces=1), read from the control API: a list (recent, slowest, failed) and one trace
 * as a waterfall of its spans (HTTP, Fastify, PostgreSQL, Redis) with the log lines that carry its id.
 */
export function TracesPanel() {
  const [order, setOrder] = useState<TraceOrder>("recent");
  const [list, setList] = useState<TraceList | { error: string }>();
  const [selected, setSelected] = useState<string>();

  const load = useCallback(async () => {
    try {
      const response = await controlFetch(`/v1/traces?order=${order}&limit=30`);
      setList(
        response.ok
          ? await readAnswer(response, traceListSchema, "a trace list")
          : { error: (await controlError(response)).message },
      );
    } catch (error) {
      setList({ error: (error as Error).message });
    }
  }, [order]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <div className="space-y-4" data-testid="traces">
      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="sr-only">Which traces</legend>
        {ORDERS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={order === value}
            onClick={() => setOrder(value)}
            className="rounded border border-slate-300 px-2 py-1 text-sm aria-pressed:bg-slate-800 aria-pressed:text-white dark:border-slate-600 dark:aria-pressed:bg-slate-200 dark:aria-pressed:text-slate-900"
            data-testid={`traces-order-${value}`}
          >
            {label}
          </button>
        ))}
      </fieldset>
      {!list && <p className="text-slate-600 dark:text-slate-400">Reading the traces…</p>}
      {list && "error" in list && (
        <p role="alert" className="text-red-800 dark:text-red-300">
          The traces cannot be read: {list.error}
        </p>
      )}
      {list && "traces" in list && <TraceTable list={list} order={order} selected={selected} onSelect={setSelected} />}
      {selected && <TraceView traceId={selected} />}
    </div>
  );
}

function TraceTable({
  list,
  order,
  selected,
  onSelect,
}: {
  list: TraceList;
  order: TraceOrder;
  selected?: string;
  onSelect: (id: string) => void;
}) {
  if (list.traces.length === 0)
    return (
      <p className="text-slate-600 dark:text-slate-400" data-testid="traces-empty">
        {order === "failed" ? "No failed request among the traces kept." : "No trace yet: make a request to the API."}
      </p>
    );
  return (
    <table className="w-full text-left text-sm [&_td]:px-2 [&_th]:px-2" data-testid="trace-list">
      <caption className="sr-only">Request traces, {order}</caption>
      <thead className="text-slate-600 dark:text-slate-400">
        <tr>
          <th scope="col">Request</th>
          <th scope="col">Status</th>
          <th scope="col" className="text-right">
            Duration
          </th>
          <th scope="col" className="text-right">
            Spans
          </th>
          <th scope="col">Started</th>
        </tr>
      </thead>
      <tbody>
        {list.traces.map((trace) => (
          <tr
            key={trace.traceId}
            data-testid="trace-row"
            data-trace-id={trace.traceId}
            data-error={trace.error}
            className={trace.traceId === selected ? "bg-slate-100 dark:bg-slate-800" : undefined}
          >
            <td>
              <button type="button" className="font-mono underline" onClick={() => onSelect(trace.traceId)}>
                {trace.name}
              </button>
            </td>
            <td className={trace.error ? "text-red-800 dark:text-red-300" : undefined}>
              {trace.httpStatus ?? (trace.error ? "error" : "ok")}
            </td>
            <td className="text-right tabular-nums">{formatMs(trace.durationMs)}</td>
            <td className="text-right tabular-nums">{trace.spanCount}</td>
            <td>{new Date(trace.startedAt).toLocaleTimeString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One trace: each span a bar placed by its start and length within the trace, indented by its depth. */
function TraceView({ traceId }: { traceId: string }) {
  const [trace, setTrace] = useState<TraceDetail | { failure: string }>();
  useEffect(() => {
    let current = true;
    setTrace(undefined);
    void (async () => {
      try {
        const response = await controlFetch(`/v1/traces/${traceId}`);
        const answer = response.ok
          ? await readAnswer(response, traceDetailSchema, "a trace")
          : { failure: (await controlError(response)).message };
        if (current) setTrace(answer);
      } catch (error) {
        if (current) setTrace({ failure: (error as Error).message });
      }
    })();
    return () => {
      current = false;
    };
  }, [traceId]);

  if (!trace) return <p className="text-slate-600 dark:text-slate-400">Reading the trace…</p>;
  if ("failure" in trace)
    return (
      <p role="alert" className="text-red-800 dark:text-red-300">
        The trace cannot be read: {trace.failure}
      </p>
    );
  const start = Math.min(...trace.spans.map((span) => span.startMs));
  const total = Math.max(trace.durationMs, 0.001);
  const depths = depthOf(trace.spans);
  return (
    <section
      aria-label={`Trace ${trace.name}`}
      data-testid="trace-view"
      data-trace-id={trace.traceId}
      className="space-y-3"
    >
      <h3 className="font-semibold">
        {trace.name}{" "}
        <span className="font-normal text-slate-600 dark:text-slate-400">
          · {formatMs(trace.durationMs)} · trace {trace.traceId}
        </span>
      </h3>
      <ol className="space-y-1" aria-label="Spans, in call order">
        {trace.spans.map((span) => (
          <li
            key={span.spanId}
            data-testid="trace-span"
            data-name={span.name}
            data-kind={span.kind}
            data-status={span.status}
            className="grid grid-cols-[minmax(12rem,22rem)_1fr_5rem] items-center gap-2 text-sm"
          >
            <span
              className="truncate font-mono"
              style={{ paddingLeft: `${depths.get(span.spanId)! * 0.75}rem` }}
              title={describe(span)}
            >
              {span.name}
            </span>
            <span className="relative h-3 rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
              <span
                className={`absolute h-3 rounded ${span.status === "error" ? "bg-red-600" : barColour(span)}`}
                style={{
                  left: `${((span.startMs - start) / total) * 100}%`,
                  width: `${Math.max((span.durationMs / total) * 100, 0.5)}%`,
                }}
              />
            </span>
            <span className="text-right tabular-nums">
              {formatMs(span.durationMs)}
              <span className="sr-only">
                , starts {formatMs(span.startMs - start)} in{span.status === "error" ? ", failed" : ""}
              </span>
            </span>
          </li>
        ))}
      </ol>
      <div>
        <h4 className="font-semibold">Log lines of this request</h4>
        {trace.logs.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No log line carries this trace id.</p>
        ) : (
          <ol
            className="max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-900"
            data-testid="trace-logs"
          >
            {trace.logs.map((entry, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are fixed once shown; two may be identical
              <li key={index} data-testid="trace-log-line" className="break-all">
                {entry.ts.slice(11, 23)} {entry.service} {entry.line}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function depthOf(spans: TraceSpan[]): Map<string, number> {
  const depths = new Map<string, number>();
  for (const span of spans)
    depths.set(span.spanId, span.parentId !== undefined ? (depths.get(span.parentId) ?? -1) + 1 : 0);
  return depths;
}

function barColour(span: TraceSpan): string {
  const system = span.attributes["db.system.name"] ?? span.attributes["db.system"];
  if (system === "postgresql") return "bg-sky-600";
  if (system === "redis") return "bg-rose-500";
  return span.kind === "server" ? "bg-emerald-600" : "bg-slate-500";
}

function describe(span: TraceSpan): string {
  const text = span.attributes["db.query.text"] ?? span.attributes["db.statement"];
  return [span.name, typeof text === "string" ? text : undefined, span.statusMessage].filter(Boolean).join("\n");
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
