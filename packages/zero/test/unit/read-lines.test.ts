import { once } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES, readLines } from "../../src/processes/process-group.js";

async function linesOf(chunks: (string | Buffer)[]): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  readLines(stream, (line) => lines.push(line));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await once(stream, "end");
  return lines;
}

describe("readLines: a process's output as lines", () => {
  it("splits on \\n and \\r\\n across chunk boundaries, and keeps a last line without newline", async () => {
    expect(await linesOf(["one\r", "\ntw", "o\nthree"])).toEqual(["one", "two", "three"]);
  });

  it("cuts a line longer than 64 KiB, counting the rest, across many chunks; the next line is whole", async () => {
    const chunk = "x".repeat(1024 * 1024);
    const lines = await linesOf([...Array.from({ length: 5 }, () => chunk), "\nafter\n"]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `${"x".repeat(MAX_LINE_BYTES)} … [${5 * chunk.length - MAX_LINE_BYTES} more bytes of this line truncated]`,
    );
    expect(lines[1]).toBe("after");
  });

  it("a line of exactly 64 KiB is kept whole", async () => {
    expect(await linesOf([`${"y".repeat(MAX_LINE_BYTES)}\n`])).toEqual(["y".repeat(MAX_LINE_BYTES)]);
  });
});
