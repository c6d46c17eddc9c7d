import { describe, expect, it } from "vitest";
import { TraceStore } from "../../src/control/trace-store.js";

// OTLP/HTTP JSON as @opentelemetry/exporter-trace-otlp-http sends it: hex ids, nanosecond times as strings.
const T1 = "0af7651916cd43dd8448eb211c80319c";
const T2 = "1bf7651916cd43dd8448eb211c80319d";
const span = (
  traceId: string,
  spanId: string,
  name: string,
  startMs: number,
  durationMs: number,
  extra: object = {},
) => ({
  traceId,
  spanId,
  name,
  kind: 2,
  startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
  endTimeUnixNano: String(BigInt(startMs + durationMs) * 1_000_000n),
  attributes: [],
  status: { code: 0 },
  ...extra,
});
const exportOf = (...spans: object[]) => ({
  resourceSpans: [
    { resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] }, scopeSpans: [{ spans }] },
  ],
});
const noMask = (text: string) => text;

describe("the trace store (what POST /v1/traces feeds and GET /v1/traces serves)", () => {
  it("groups spans by trace, in tree order, with the root's name, duration, HTTP status and error", () => {
    const store = new TraceStore(noMask);
    const root = span(T1, "00f067aa0ba902b7", "GET /api/v1/projects", 1_000, 40, {
      attributes: [{ key: "http.response.status_code", value: { intValue: 500 } }],
    });
    const query = span(T1, "00f067aa0ba902b8", "pg.query:SELECT", 1_010, 5, {
      parentSpanId: "00f067aa0ba902b7",
      kind: 3,
    });
    const redis = span(T1, "00f067aa0ba902b9", "get", 1_005, 1, {
      parentSpanId: "00f067aa0ba902b7",
      kind: 3,
      status: { code: 2, message: "boom" },
    });
    // Children usually arrive first (they end first); the exporter may split a trace across requests.
    expect(store.ingest(exportOf(query, redis))).toEqual({ rejectedSpans: 0 });
    store.ingest(exportOf(root));
    const trace = store.get(T1)!;
    expect(trace).toMatchObject({
      name: "GET /api/v1/projects",
      service: "api",
      durationMs: 40,
      spanCount: 3,
      error: true,
      httpStatus: 500,
    });
    expect(trace.spans.map((s) => s.name)).toEqual(["GET /api/v1/projects", "get", "pg.query:SELECT"]);
    expect(trace.spans[1]).toMatchObject({
      kind: "client",
      status: "error",
      statusMessage: "boom",
      parentId: "00f067aa0ba902b7",
    });
  });

  it("lists newest first, slowest first, or only the failed", () => {
    const store = new TraceStore(noMask);
    store.ingest(exportOf(span(T1, "00f067aa0ba902b7", "slow", 1_000, 900)));
    store.ingest(exportOf(span(T2, "00f067aa0ba902b8", "quick but failed", 2_000, 3, { status: { code: 2 } })));
    expect(store.list("recent", 10).traces.map((t) => t.name)).toEqual(["quick but failed", "slow"]);
    expect(store.list("slowest", 10).traces.map((t) => t.name)).toEqual(["slow", "quick but failed"]);
    expect(store.list("failed", 10).traces.map((t) => t.name)).toEqual(["quick but failed"]);
    expect(store.list("recent", 1).traces).toHaveLength(1);
  });

  it("keeps within its bounds: count, bytes and spans per trace, dropping the oldest traces", () => {
    const store = new TraceStore(noMask, { maxTraces: 3, maxBytes: 100_000, maxSpansPerTrace: 2 });
    for (let index = 0; index < 5; index++) {
      const id = index.toString(16).padStart(32, "a");
      store.ingest(exportOf(span(id, "00f067aa0ba902b7", `request ${index}`, index, 1)));
    }
    expect(store.list("recent", 10).traces.map((t) => t.name)).toEqual(["request 4", "request 3", "request 2"]);
    const many = [1, 2, 3].map((n) => span(T1, `00f067aa0ba902b${n}`, `span ${n}`, n, 1));
    expect(store.ingest(exportOf(...many))).toEqual({ rejectedSpans: 1 });

    const small = new TraceStore(noMask, { maxTraces: 100, maxBytes: 1_000, maxSpansPerTrace: 100 });
    const big = { attributes: [{ key: "db.statement", value: { stringValue: "x".repeat(400) } }] };
    for (let index = 0; index < 6; index++)
      small.ingest(
        exportOf(span(index.toString(16).padStart(32, "b"), "00f067aa0ba902b7", `q${index}`, index, 1, big)),
      );
    const { kept } = small.list("recent", 100);
    expect(kept.bytes).toBeLessThanOrEqual(1_000);
    expect(kept.traces).toBeGreaterThan(0);
    expect(small.list("recent", 100).traces[0]!.name).toBe("q5");
  });

  it("masks secrets in names, attributes and status messages, and rejects what it cannot read", () => {
    const store = new TraceStore((text) => text.replaceAll("hunter2", "********"));
    const leaky = span(T1, "00f067aa0ba902b7", "AUTH hunter2", 1, 1, {
      attributes: [{ key: "db.connection_string", value: { stringValue: "redis://:hunter2@127.0.0.1" } }],
      status: { code: 2, message: "WRONGPASS hunter2" },
    });
    expect(
      store.ingest(exportOf(leaky, { traceId: "nothex", spanId: "x" }, span(T2, "0000000000000000", "no id", 1, 1))),
    ).toEqual({
      rejectedSpans: 2,
    });
    expect(JSON.stringify(store.get(T1))).not.toContain("hunter2");
    expect(store.ingest({ not: "otlp" })).toEqual({ rejectedSpans: 0 });
  });
});
