import { describe, expect, it } from "vitest";
import { parseFrame } from "../src/lib/event-stream";

describe("Server-Sent Events frames", () => {
  it("reads id, event and multi-line data, ignoring comments", () => {
    expect(parseFrame('id: 42\nevent: status\ndata: {"a":1}')).toEqual({ id: "42", event: "status", data: '{"a":1}' });
    expect(parseFrame("data: one\ndata: two")).toEqual({ event: "message", data: "one\ntwo" });
    expect(parseFrame(": keep-alive")).toEqual({ event: "message" });
  });
});
