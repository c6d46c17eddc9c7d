import { Writable } from "node:stream";

// A log destination that keeps every JSON line the app writes, so tests can assert on real log output.
export interface LogCapture {
  stream: Writable;
  text(): string;
  entries(): Array<Record<string, unknown>>;
}

export function createLogCapture(): LogCapture {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return {
    stream,
    text: () => text,
    entries: () =>
      text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
