import { once } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { launchGroup, MAX_LINE_BYTES, outputDrained, readLines, stopGroup } from "../../src/processes/process-group.js";

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

const shell = (script: string) => ({
  command: "sh",
  args: ["-c", script],
  cwd: ".",
  env: process.env,
  stopSignal: "SIGTERM" as const,
});

describe("outputDrained: a process's last lines before its exit is reported", () => {
  it("waits for the pipes to close, so that lines written after the exit event are read", async () => {
    // The leader exits at once; what it started writes the last line 100 ms later into the same pipe.
    const lines: string[] = [];
    const child = launchGroup(shell("echo first; (sleep 0.1; echo last >&2) & exit 3"), (line) => lines.push(line));
    await once(child, "exit");
    await outputDrained(child);
    expect(lines).toEqual(["first", "last"]);
  });

  it("gives up after its cap when a grandchild keeps the pipes open", async () => {
    const child = launchGroup(shell("sleep 5 & echo started"), () => {});
    await once(child, "exit");
    const began = Date.now();
    await outputDrained(child, 100);
    expect(Date.now() - began).toBeLessThan(2000);
    await stopGroup(child.pid!, "SIGKILL", 0);
  });
});
