import type { LogsQuery } from "./logs.js";
import type { StatusQuery } from "./status.js";
import type { TraceOrder } from "./traces.js";

// The server's reading of each request: the same rules as the zod request schemas beside it (statusQuerySchema,
// logsQuerySchema, serviceParamsSchema; a test checks they agree), written without zod because the supervisor
// does not load it (~10 MB and ~0.1 s; docs/performance.md). Clients use the zod schemas.

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** What logsQuerySchema gives out: tail defaulted. */
export type LogsRequestRead = Omit<LogsQuery, "tail" | "after"> & { tail: number; after?: number };

const SERVICE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_TAIL = 5_000;

export function readStatusQuery(query: URLSearchParams): Checked<StatusQuery> {
  const value: StatusQuery = {};
  for (const flag of ["fresh", "follow"] as const) {
    const given = query.get(flag);
    if (given === null) continue;
    if (given !== "1") return { ok: false, error: `${flag}: expected "1"` };
    value[flag] = "1";
  }
  return { ok: true, value };
}

export function readLogsQuery(query: URLSearchParams): Checked<LogsRequestRead> {
  const value: LogsRequestRead = { tail: 200 };
  const service = query.get("service");
  if (service !== null) {
    if (!SERVICE_NAME.test(service)) return { ok: false, error: "service: expected a service name" };
    value.service = service;
  }
  const tail = query.get("tail");
  if (tail !== null) {
    const count = readCount(tail, MAX_TAIL);
    if (count === undefined) return { ok: false, error: `tail: expected a whole number from 0 to ${MAX_TAIL}` };
    value.tail = count;
  }
  const since = query.get("since");
  if (since !== null) value.since = since;
  const follow = query.get("follow");
  if (follow !== null) {
    if (follow !== "1") return { ok: false, error: 'follow: expected "1"' };
    value.follow = "1";
  }
  const after = query.get("after");
  if (after !== null) {
    const count = readCount(after);
    if (count === undefined) return { ok: false, error: "after: expected a whole number" };
    value.after = count;
  }
  return { ok: true, value };
}

export function readServiceParams(params: Record<string, string | undefined>): Checked<{ name: string }> {
  const name = params.name;
  if (name === undefined || !SERVICE_NAME.test(name)) return { ok: false, error: "name: expected a service name" };
  return { ok: true, value: { name } };
}

/** What tracesQuerySchema gives out: both defaulted. */
export interface TracesRequestRead {
  order: TraceOrder;
  limit: number;
}

const TRACE_ORDERS: readonly TraceOrder[] = ["recent", "slowest", "failed"];

export function readTracesQuery(query: URLSearchParams): Checked<TracesRequestRead> {
  const value: TracesRequestRead = { order: "recent", limit: 50 };
  const order = query.get("order");
  if (order !== null) {
    if (!TRACE_ORDERS.includes(order as TraceOrder))
      return { ok: false, error: `order: expected ${TRACE_ORDERS.join(", ")}` };
    value.order = order as TraceOrder;
  }
  const limit = query.get("limit");
  if (limit !== null) {
    const count = readCount(limit, 500);
    if (!count) return { ok: false, error: "limit: expected a whole number from 1 to 500" };
    value.limit = count;
  }
  return { ok: true, value };
}

export function readTraceParams(params: Record<string, string | undefined>): Checked<{ id: string }> {
  const id = params.id;
  if (id === undefined || !/^[0-9a-f]{32}$/.test(id)) return { ok: false, error: "id: a trace id: 32 hex digits" };
  return { ok: true, value: { id } };
}

/** A decimal whole number as z.coerce.number().int().min(0) reads it ("" is 0, as Number("") is). */
function readCount(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const number = Number(text);
  return Number.isInteger(number) && number >= 0 && number <= max ? number : undefined;
}
