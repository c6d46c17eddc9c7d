import type { ServiceAction } from "../control/actions.js";
import type { LogEntry } from "../control/logs.js";
import type { StackService, StackStatus } from "../control/status.js";
import type { ControlClient } from "./client.js";
import { ControlApiError } from "./errors.js";

/**
 * A FAKE of a protocol boundary (the supervisor's control API), for unit tests of the logic that calls it without
 * starting a supervisor, as tilt and testcontainers test runtime logic against fake clients. It keeps a status in
 * memory and changes it as the real supervisor would (stop → stopped, start/restart → running); `failNext` makes
 * the next call fail with a code, `onAction` lets a test change the status after an action (a crash, a restart).
 * The real client against the real supervisor is tested in packages/zero/test/integration/native-lifecycle.test.ts.
 */
export interface FakeControlClient extends ControlClient {
  /** The status the fake answers with; tests read and change it. */
  readonly state: StackStatus;
  readonly calls: string[];
  /** The next call fails with this code (once). */
  failNext(code: ControlApiError["code"]): void;
  /** Called after each action with the service's record: simulate what the service then does. */
  onAction?: (service: string, action: ServiceAction, record: StackService) => void;
  /** Lines the log calls answer with. */
  lines: LogEntry[];
}

export function createFakeControlClient(state: StackStatus): FakeControlClient {
  let failure: ControlApiError["code"] | undefined;
  const calls: string[] = [];
  const enter = (call: string) => {
    calls.push(call);
    if (!failure) return;
    const code = failure;
    failure = undefined;
    throw new ControlApiError(code, `fake control API ${call}: ${code}`, code === "CONTROL_REFUSED" ? 500 : undefined);
  };
  const record = (service: string) => {
    const found = state.services[service];
    if (!found) throw new ControlApiError("CONTROL_REFUSED", `unknown service "${service}"`, 500);
    return found;
  };
  const act = (service: string, action: ServiceAction) => {
    enter(`${action} ${service}`);
    const current = record(service);
    const wasRunning = current.state === "running";
    if (action === "stop") Object.assign(current, { state: "stopped", health: "unknown", pid: 0 });
    else if (action === "restart" || !wasRunning)
      Object.assign(current, { state: "running", startedAt: new Date().toISOString() });
    fake.onAction?.(service, action, current);
    return action === "restart"
      ? { restarted: service }
      : action === "stop"
        ? { service, stopped: wasRunning }
        : { service, started: !wasRunning };
  };
  const matching = (service?: string) => fake.lines.filter((line) => !service || line.service === service);

  const fake: FakeControlClient = {
    state,
    calls,
    lines: [],
    failNext: (code) => {
      failure = code;
    },
    status: async (options = {}) => {
      enter(options.fresh ? "status fresh" : "status");
      return structuredClone(state);
    },
    followStatus: async (onStatus) => {
      enter("follow status");
      onStatus(structuredClone(state));
    },
    config: async () => {
      enter("config");
      return { profile: state.profile, runtime: state.runtime, settings: [], problems: [], changedSinceStart: false };
    },
    stacks: async () => {
      enter("stacks");
      return { self: { name: "fake" }, others: [] };
    },
    logs: async (query) => {
      enter("logs");
      return matching(query.service).slice(-(query.tail ?? 200));
    },
    followLogs: async (query, onEntry) => {
      enter("follow logs");
      for (const [index, entry] of matching(query.service).entries()) onEntry(entry, index + 1);
    },
    logStream: async () => {
      enter("log stream");
      const text = fake.lines.map((entry, index) => `id: ${index + 1}\ndata: ${JSON.stringify(entry)}\n\n`).join("");
      return new Blob([text]).stream();
    },
    restart: async (service) => act(service, "restart") as { restarted: string },
    stop: async (service) => act(service, "stop") as { service: string; stopped: boolean },
    start: async (service) => act(service, "start") as { service: string; started: boolean },
    act: async (service, action) => act(service, action),
    // No traces: a fake of the store would test nothing (the real one: packages/zero/test/unit/trace-store.test.ts).
    traces: async () => {
      enter("traces");
      return { traces: [], kept: { traces: 0, bytes: 0, maxTraces: 0, maxBytes: 0 } };
    },
    trace: async (traceId) => {
      enter(`trace ${traceId}`);
      throw new ControlApiError("CONTROL_REFUSED", `fake control API: no trace ${traceId}`, 404);
    },
    down: async () => {
      enter("down");
      const stopped = Object.entries(state.services)
        .filter(([, s]) => s.state === "running")
        .map(([name]) => name);
      for (const name of stopped) Object.assign(state.services[name]!, { state: "stopped", health: "unknown", pid: 0 });
      return { stopped };
    },
  };
  return fake;
}
