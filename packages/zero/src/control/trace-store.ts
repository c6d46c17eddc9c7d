import type { TraceList, TraceOrder, TraceSpan, TraceSummary } from "@zero/contracts/control";

/** How much the control API keeps: the newest traces win; each bound alone evicts the oldest trace. */
export interface TraceLimits {
  maxTraces: number;
  /** The spans' size as served (JSON), all traces together. */
  maxBytes: number;
  /** A runaway request (a loop of queries) keeps its first spans and counts the rest as rejected. */
  maxSpansPerTrace: number;
}

export const DEFAULT_TRACE_LIMITS: TraceLimits = { maxTraces: 500, maxBytes: 8 * 1024 * 1024, maxSpansPerTrace: 1_000 };

interface StoredTrace {
  spans: TraceSpan[];
  bytes: number;
}

const KINDS: TraceSpan["kind"][] = ["internal", "internal", "server", "client", "producer", "consumer"];
const STATUSES: TraceSpan["status"][] = ["unset", "ok", "error"];
const MAX_VALUE_CHARS = 2_000;

/**
 * The recent traces of a stack (traces=1), in the control API's memory: fed OTLP/HTTP JSON (what the API's
 * OpenTelemetry exporter sends to POST /v1/traces), served compact and masked. Nothing is written to disk.
 */
export class TraceStore {
  /** Insertion order is arrival order: the first entry is the oldest trace. */
  private readonly traces = new Map<string, StoredTrace>();
  private bytes = 0;

  constructor(
    private readonly mask: (text: string) => string,
    readonly limits: TraceLimits = DEFAULT_TRACE_LIMITS,
  ) {}

  /** Adds the spans of an OTLP ExportTraceServiceRequest (JSON); returns how many it could not keep or read. */
  ingest(request: unknown): { rejectedSpans: number } {
    let rejectedSpans = 0;
    for (const resourceSpans of arrayAt(request, "resourceSpans")) {
      const service = String(attributesOf(field(resourceSpans, "resource"))["service.name"] ?? "unknown");
      for (const scopeSpans of arrayAt(resourceSpans, "scopeSpans")) {
        for (const raw of arrayAt(scopeSpans, "spans")) {
          const read = this.readSpan(raw, service);
          if (!read || !this.keep(read.traceId, read.span)) rejectedSpans++;
        }
      }
    }
    this.evict();
    return { rejectedSpans };
  }

  list(order: TraceOrder, limit: number): TraceList {
    let summaries = [...this.traces].map(([id, trace]) => summarise(id, trace.spans)).reverse();
    if (order === "failed") summaries = summaries.filter((trace) => trace.error);
    if (order === "slowest") summaries.sort((a, b) => b.durationMs - a.durationMs);
    const { maxTraces, maxBytes } = this.limits;
    return {
      traces: summaries.slice(0, limit),
      kept: { traces: this.traces.size, bytes: this.bytes, maxTraces, maxBytes },
    };
  }

  /** One trace's summary and its spans, parents before their children and siblings by start; undefined if unknown. */
  get(traceId: string): (TraceSummary & { spans: TraceSpan[] }) | undefined {
    const trace = this.traces.get(traceId);
    if (!trace) return undefined;
    return { ...summarise(traceId, trace.spans), spans: inTreeOrder(trace.spans) };
  }

  private keep(traceId: string, span: TraceSpan): boolean {
    const trace = this.traces.get(traceId) ?? { spans: [], bytes: 0 };
    if (trace.spans.length >= this.limits.maxSpansPerTrace) return false;
    const bytes = JSON.stringify(span).length;
    trace.spans.push(span);
    trace.bytes += bytes;
    this.bytes += bytes;
    this.traces.set(traceId, trace);
    return true;
  }

  private evict(): void {
    for (const [id, trace] of this.traces) {
      if (this.traces.size <= this.limits.maxTraces && this.bytes <= this.limits.maxBytes) return;
      this.traces.delete(id);
      this.bytes -= trace.bytes;
    }
  }

  private readSpan(raw: unknown, service: string): { traceId: string; span: TraceSpan } | undefined {
    const traceId = hexId(field(raw, "traceId"), 32);
    const spanId = hexId(field(raw, "spanId"), 16);
    const start = nanos(field(raw, "startTimeUnixNano"));
    const end = nanos(field(raw, "endTimeUnixNano"));
    if (!traceId || !spanId || start === undefined || end === undefined) return undefined;
    const parentId = hexId(field(raw, "parentSpanId"), 16);
    const status = field(raw, "status");
    const statusMessage = field(status, "message");
    const attributes = Object.fromEntries(
      Object.entries(attributesOf(raw)).map(([key, value]) => [
        key,
        typeof value === "string" ? this.mask(value) : value,
      ]),
    );
    const span: TraceSpan = {
      spanId,
      ...(parentId && { parentId }),
      name: this.mask(String(field(raw, "name") ?? "")),
      service,
      kind: KINDS[Number(field(raw, "kind"))] ?? "internal",
      startMs: start / 1e6,
      durationMs: Math.max(0, (end - start) / 1e6),
      status: STATUSES[Number(field(status, "code") ?? 0)] ?? "unset",
      ...(typeof statusMessage === "string" && statusMessage && { statusMessage: this.mask(statusMessage) }),
      attributes,
    };
    return { traceId, span };
  }
}

function summarise(traceId: string, spans: TraceSpan[]): TraceSummary {
  const ids = new Set(spans.map((span) => span.spanId));
  const starts = spans.map((span) => span.startMs);
  const ends = spans.map((span) => span.startMs + span.durationMs);
  // The root: the span without a parent here (a parent not received yet leaves its children as roots).
  const root =
    spans.filter((span) => !span.parentId || !ids.has(span.parentId)).sort((a, b) => a.startMs - b.startMs)[0] ??
    spans[0]!;
  const status = root.attributes["http.response.status_code"] ?? root.attributes["http.status_code"];
  const httpStatus = typeof status === "number" ? status : undefined;
  return {
    traceId,
    name: root.name,
    service: root.service,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    spanCount: spans.length,
    error: spans.some((span) => span.status === "error") || (httpStatus !== undefined && httpStatus >= 500),
    ...(httpStatus !== undefined && { httpStatus }),
  };
}

/** Depth first from the roots, children by start: the order a waterfall draws. */
function inTreeOrder(spans: TraceSpan[]): TraceSpan[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of [...spans].sort((a, b) => a.startMs - b.startMs)) {
    const parent = span.parentId && ids.has(span.parentId) ? span.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: TraceSpan[] = [];
  const visit = (parent: string | undefined) => {
    for (const span of children.get(parent) ?? []) {
      ordered.push(span);
      visit(span.spanId);
    }
  };
  visit(undefined);
  return ordered;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

function arrayAt(value: unknown, key: string): unknown[] {
  const found = field(value, key);
  return Array.isArray(found) ? found : [];
}

/** OTLP/JSON ids are hex (the protobuf bytes' JSON mapping as OpenTelemetry specifies it); all zeros means none. */
function hexId(value: unknown, length: number): string | undefined {
  if (typeof value !== "string") return undefined;
  const id = value.toLowerCase();
  return id.length === length && /^[0-9a-f]+$/.test(id) && !/^0+$/.test(id) ? id : undefined;
}

/** A uint64 of nanoseconds, as a JSON number or string (OTLP/JSON allows both). */
function nanos(value: unknown): number | undefined {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** OTLP's KeyValue list as plain values (arrays and maps as JSON text, cut to MAX_VALUE_CHARS). */
function attributesOf(holder: unknown): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const pair of arrayAt(holder, "attributes")) {
    const key = field(pair, "key");
    const value = field(pair, "value");
    if (typeof key !== "string" || value === null || typeof value !== "object") continue;
    const [kind, given] = Object.entries(value)[0] ?? [];
    if (kind === "stringValue") values[key] = String(given).slice(0, MAX_VALUE_CHARS);
    else if (kind === "boolValue") values[key] = Boolean(given);
    else if (kind === "intValue" || kind === "doubleValue") values[key] = Number(given);
    else if (given !== undefined) values[key] = JSON.stringify(given).slice(0, MAX_VALUE_CHARS);
  }
  return values;
}
