import { describe, expect, it } from "vitest";
import { parseFrame } from "@zero/contracts/server-sent-events";
import { readEvents } from "../src/lib/event-stream";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe("Server-Sent Events frames", () => {
  it("reads id, event and multi-line data, ignoring comments", () => {
    expect(parseFrame('id: 42\nevent: status\ndata: {"a":1}')).toEqual({ id: "42", event: "status", data: '{"a":1}' });
    expect(parseFrame("data: one\ndata: two")).toEqual({ event: "message", data: "one\ntwo" });
    expect(parseFrame(": keep-alive")).toBeUndefined();
    expect(parseFrame("id: 7")).toEqual({ id: "7", event: "message" }); // moves the resume point without data
  });

  it("reassembles frames split across chunks and returns the last id (what a reconnect resumes after)", async () => {
    const events: string[] = [];
    const handlers = { onEvent: (_event: string, data: string) => events.push(data), onState: () => {} };
    const last = await readEvents(
      streamOf(["id: 1\ndata: a\n\nid: 2\nda", "ta: b\n", "\n: keep-alive\n\nid: 3\ndata: c\n\n"]),
      handlers,
      undefined,
    );
    expect(events).toEqual(["a", "b", "c"]);
    expect(last).toBe("3");
  });

  it("parses 50,000 frames in one chunk in linear time", async () => {
    const body = Array.from({ length: 50_000 }, (_, i) => `id: ${i}\ndata: ${"x".repeat(100)}\n\n`).join("");
    let count = 0;
    const began = performance.now();
    await readEvents(streamOf([body]), { onEvent: () => count++, onState: () => {} }, undefined);
    expect(count).toBe(50_000);
    expect(performance.now() - began).toBeLessThan(3_000); // slicing the buffer after every frame made this quadratic
  });
});
