import { controlError, controlFetch, ControlError } from "./control";

export type StreamState = "connecting" | "live" | "reconnecting" | "no-supervisor";

export interface StreamHandlers {
  onEvent(event: string, data: string): void;
  onState(state: StreamState, error?: string): void;
}

const RETRY_MS = [250, 500, 1_000, 2_000, 4_000];
const NO_SUPERVISOR_RETRY_MS = 5_000;

/**
 * Follows a Server-Sent Events path of the control API with fetch (EventSource cannot send the token header):
 * reconnects with backoff, and sends the last event id back so the server resumes where it stopped instead of
 * replaying its history. Runs until `signal` aborts.
 */
export async function followEvents(path: string, handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
  let lastEventId: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    let wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
    try {
      const response = await controlFetch(path, {
        signal,
        headers: lastEventId ? { "last-event-id": lastEventId } : {},
      });
      if (!response.ok || !response.body) throw await controlError(response);
      failures = 0;
      handlers.onState("live");
      lastEventId = await readEvents(response.body, handlers, lastEventId);
      handlers.onState("reconnecting", "the stream ended");
    } catch (error) {
      if (signal.aborted) return;
      failures += 1;
      const noSupervisor = error instanceof ControlError && error.reason === "no-supervisor";
      if (noSupervisor) wait = NO_SUPERVISOR_RETRY_MS;
      handlers.onState(noSupervisor ? "no-supervisor" : "reconnecting", (error as Error).message);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Parses frames until the body ends; returns the last id seen. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  handlers: StreamHandlers,
  lastId: string | undefined,
): Promise<string | undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return lastId;
    buffer += decoder.decode(value, { stream: true });
    // Walk the frames with an index and cut the buffer once: slicing after every frame is quadratic on a
    // large chunk (thousands of lines of history arrive in one).
    let start = 0;
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n", start)) {
      const frame = parseFrame(buffer.slice(start, end));
      start = end + 2;
      if (frame.id !== undefined) lastId = frame.id;
      if (frame.data !== undefined) handlers.onEvent(frame.event, frame.data);
    }
    buffer = buffer.slice(start);
  }
}

export function parseFrame(text: string): { event: string; data?: string; id?: string } {
  const frame: { event: string; data?: string; id?: string } = { event: "message" };
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (field === "id") frame.id = value;
    else if (field === "event") frame.event = value;
  }
  return frame;
}
