// Server-Sent Events read with fetch (EventSource cannot send a token header). No dependencies: the dashboard's
// bundle imports it too.

/** One Server-Sent Events frame: its id (what Last-Event-ID resumes from), its name ("message" when unnamed), its data. */
export interface ServerSentEvent {
  id?: string;
  event: string;
  /** Absent for a frame that only moves the id. */
  data?: string;
}

/**
 * Reads a text/event-stream body until it ends, calling `onEvent` per frame (comment-only frames such as
 * keep-alives are skipped). Uses the reader API, so it works in Node and in browsers alike.
 */
export async function readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      // Walk the frames with an index and cut the buffer once: slicing after every frame is quadratic on a large
      // chunk (thousands of lines of history arrive in one).
      let start = 0;
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n", start)) {
        const event = parseFrame(buffer.slice(start, end));
        start = end + 2;
        if (event) onEvent(event);
      }
      buffer = buffer.slice(start);
    }
  } finally {
    reader.releaseLock();
  }
}

/** One frame's fields (`id:`, `event:`, `data:` lines; data lines joined by newlines); undefined for a comment-only frame. */
export function parseFrame(frame: string): ServerSentEvent | undefined {
  const event: ServerSentEvent = { event: "message" };
  let fields = 0;
  for (const line of frame.split("\n")) {
    const colon = line.indexOf(":");
    if (colon === 0) continue; // a comment
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") event.data = event.data === undefined ? value : `${event.data}\n${value}`;
    else if (field === "id") event.id = value;
    else if (field === "event") event.event = value;
    else continue;
    fields++;
  }
  return fields > 0 ? event : undefined;
}
