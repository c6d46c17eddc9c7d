import type { z } from "zod";
import type { DownResult, RestartResult, ServiceAction, StartResult, StopResult } from "../control/actions.js";
import type { ConfigView } from "../control/config.js";
import type { controlEndpoints } from "../control/endpoints.js";
import type { LogEntry, LogsQuery } from "../control/logs.js";
import type { StacksView } from "../control/stacks.js";
import type { StackStatus } from "../control/status.js";
import type { TraceDetail, TraceList, TracesQuery } from "../control/traces.js";
import { ControlApiError, failedCall } from "./errors.js";
import { readServerSentEvents } from "./server-sent-events.js";

/**
 * A fetch that may also say when its request has left (`sent`, once its bytes are with the kernel): the client then
 * loads the contract's schemas while the server works. The global fetch says nothing; they load at its answer.
 */
export type ControlFetch = (input: URL, init: RequestInit, sent?: () => void) => Promise<Response>;

/** Where the control API listens and its token (the state file's controlPort and token, or ZERO_CONTROL_URL/TOKEN). */
export interface ControlAddress {
  url: string;
  token: string;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: ControlFetch;
}

/** Per-call options: a deadline (defaults below) or a signal that ends the call (and a followed stream). */
export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type LogsRequest = Omit<LogsQuery, "follow">;

/** The one client of the supervisor's control API: every answer is parsed with the contract's schema. */
export interface ControlClient {
  /** fresh: check every service's health before answering. */
  status(options?: CallOptions & { fresh?: boolean }): Promise<StackStatus>;
  /** Calls onStatus with every status the server sends (one at once, then one per change) until `signal` aborts. */
  followStatus(onStatus: (status: StackStatus) => void, signal: AbortSignal): Promise<void>;
  config(options?: CallOptions): Promise<ConfigView>;
  /** This stack's name and the other running stacks of this user on this machine. */
  stacks(options?: CallOptions): Promise<StacksView>;
  logs(query: LogsRequest, options?: CallOptions): Promise<LogEntry[]>;
  /** History first, then live lines until `signal` aborts; `after` (an event id) resumes a broken stream. */
  followLogs(query: LogsRequest, onEntry: (entry: LogEntry, id: number) => void, signal: AbortSignal): Promise<void>;
  /** The raw log event stream, for a relay that passes it on unchanged (the API's /api/v1/environment/logs). */
  logStream(query: LogsRequest, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  restart(service: string, options?: CallOptions): Promise<RestartResult>;
  stop(service: string, options?: CallOptions): Promise<StopResult>;
  start(service: string, options?: CallOptions): Promise<StartResult>;
  act(service: string, action: ServiceAction, options?: CallOptions): Promise<RestartResult | StopResult | StartResult>;
  /** The recent traces kept (traces=1): newest, slowest or failed first. */
  traces(query?: TracesQuery, options?: CallOptions): Promise<TraceList>;
  /** One trace's spans and the log lines that carry its id. */
  trace(traceId: string, options?: CallOptions): Promise<TraceDetail>;
  /** Stops every service; the supervisor exits after answering. */
  down(options?: CallOptions): Promise<DownResult>;
}

// A status read is quick; an action waits for a stop (5 s grace) and a health check (25 s relaunch deadline).
const READ_TIMEOUT_MS = 5_000;
const ACTION_TIMEOUT_MS = 60_000;

type Endpoints = typeof controlEndpoints;
type SchemaOf<T> = (endpoints: Endpoints) => z.ZodType<T>;

/**
 * The contract's schemas, and zod with them, are loaded when a call is made, not with the client, and once its
 * request has left: `zero status` and `zero down` compile zod (~30 ms of CPU) while the supervisor works. Loaded
 * as the request starts, they held it back instead: Node connects and writes only after the code that runs now.
 */
function loadEndpoints(): Promise<Endpoints> {
  return import("../control/endpoints.js").then((module) => module.controlEndpoints);
}

export function createControlClient(address: ControlAddress): ControlClient {
  const doFetch: ControlFetch = address.fetch ?? fetch;

  /** One request; a non-2xx answer becomes CONTROL_REFUSED with the server's own error text. */
  const request = async (method: string, path: string, signal: AbortSignal, sent?: () => void): Promise<Response> => {
    const what = `control API ${method} ${path.split("?")[0]}`;
    let response: Response;
    try {
      response = await doFetch(
        new URL(path, address.url),
        { method, headers: { authorization: `Bearer ${address.token}` }, signal },
        sent,
      );
    } catch (error) {
      throw failedCall(what, error);
    }
    if (response.ok) return response;
    const { controlErrorBodySchema } = await import("../control/actions.js");
    const body = controlErrorBodySchema.safeParse(await response.json().catch(() => undefined));
    const reason = body.success ? body.data.error : response.statusText;
    throw new ControlApiError("CONTROL_REFUSED", `${what}: HTTP ${response.status} ${reason}`, response.status, {
      serverCode: body.success ? body.data.code : undefined,
    });
  };

  const call = async <T>(
    method: string,
    path: string,
    schema: SchemaOf<T>,
    options: CallOptions = {},
    timeoutMs = READ_TIMEOUT_MS,
  ): Promise<T> => {
    const deadline = AbortSignal.timeout(options.timeoutMs ?? timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let endpoints: Promise<Endpoints> | undefined;
    const load = () => {
      endpoints ??= loadEndpoints();
      endpoints.catch(() => {}); // awaited where the answer is parsed; a call that fails first never awaits it
      return endpoints;
    };
    const response = await request(method, path, signal, load); // loads once the request has left, if it says so
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw failedCall(`control API ${method} ${path}`, error);
    }
    return parseAnswer(schema(await load()), body, `${method} ${path.split("?")[0]}`);
  };

  // Ends quietly when `signal` aborts or the server closes the stream (the supervisor went down).
  const follow = async (path: string, signal: AbortSignal, onData: (data: string, id: string | undefined) => void) => {
    try {
      const response = await request("GET", path, signal);
      await readServerSentEvents(response.body!, (event) => {
        if (event.data !== undefined) onData(event.data, event.id);
      });
    } catch (error) {
      if (!signal.aborted) throw failedCall(`control API GET ${path.split("?")[0]} (stream)`, error);
    }
  };

  const action = <T>(service: string, path: string, schema: SchemaOf<T>, options?: CallOptions) =>
    call("POST", path.replace(":name", encodeURIComponent(service)), schema, options, ACTION_TIMEOUT_MS);

  const client: ControlClient = {
    status: (options = {}) =>
      call("GET", `/v1/status${options.fresh ? "?fresh=1" : ""}`, (e) => e.status.response, options),
    followStatus: async (onStatus, signal) => {
      const { status } = await loadEndpoints();
      await follow("/v1/status?follow=1", signal, (data) => onStatus(parseEvent(status.event, data, "status event")));
    },
    config: (options) => call("GET", "/v1/config", (e) => e.config.response, options),
    stacks: (options) => call("GET", "/v1/stacks", (e) => e.stacks.response, options),
    logs: (query, options) => call("GET", `/v1/logs?${logParams(query)}`, (e) => e.logs.response, options),
    followLogs: async (query, onEntry, signal) => {
      const { logs } = await loadEndpoints();
      await follow(`/v1/logs?${logParams(query, true)}`, signal, (data, id) =>
        onEntry(parseEvent(logs.event, data, "log event"), Number(id)),
      );
    },
    logStream: async (query, signal) => (await request("GET", `/v1/logs?${logParams(query, true)}`, signal)).body!,
    restart: (service, options) => action(service, "/v1/services/:name/restart", (e) => e.restart.response, options),
    stop: (service, options) => action(service, "/v1/services/:name/stop", (e) => e.stop.response, options),
    start: (service, options) => action(service, "/v1/services/:name/start", (e) => e.start.response, options),
    act: (service, name, options) => client[name](service, options),
    traces: (query = {}, options) => {
      const params = new URLSearchParams();
      if (query.order) params.set("order", query.order);
      if (query.limit !== undefined) params.set("limit", String(query.limit));
      return call("GET", `/v1/traces?${params}`, (e) => e.traces.response, options);
    },
    trace: (traceId, options) =>
      call("GET", `/v1/traces/${encodeURIComponent(traceId)}`, (e) => e.trace.response, options),
    down: (options) => call("POST", "/v1/down", (e) => e.down.response, options, ACTION_TIMEOUT_MS),
  };
  return client;
}

function logParams(query: LogsRequest, follow = false): URLSearchParams {
  const params = new URLSearchParams();
  if (follow) params.set("follow", "1");
  for (const key of ["service", "tail", "since", "after"] as const) {
    if (query[key] !== undefined) params.set(key, String(query[key]));
  }
  return params;
}

function parseAnswer<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ControlApiError(
    "CONTROL_INVALID_ANSWER",
    `control API ${what}: the answer does not match the contract (${issue?.path.join(".") || "body"}: ${issue?.message})`,
  );
}

function parseEvent<T>(schema: z.ZodType<T>, data: string, what: string): T {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    throw new ControlApiError("CONTROL_INVALID_ANSWER", `control API ${what}: its data is not JSON`);
  }
  return parseAnswer(schema, body, what);
}
