import { readServerSentEvents } from "@zero/contracts/server-sent-events";
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

/** Parses frames until the body ends (the one SSE reader, @zero/contracts/server-sent-events); returns the last id seen. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  handlers: StreamHandlers,
  lastId: string | undefined,
): Promise<string | undefined> {
  let last = lastId;
  await readServerSentEvents(body, (frame) => {
    if (frame.id !== undefined) last = frame.id;
    if (frame.data !== undefined) handlers.onEvent(frame.event, frame.data);
  });
  return last;
}
