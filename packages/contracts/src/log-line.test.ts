import { describe, expect, it } from "vitest";
import { decodeLogBytes, logLineParts, logTime, readableLine, shownSafely } from "./log-line.js";

describe("a log line for people (zero logs and the dashboard)", () => {
  it("names pino's level, keeps the message, lists other fields and drops what is shown elsewhere", () => {
    const line =
      '{"level":30,"time":1767225600000,"pid":9,"hostname":"h","service":"api","msg":"request completed","method":"GET","res":{"statusCode":200}}';
    expect(logLineParts(line)).toEqual({
      level: "INFO",
      message: "request completed",
      fields: 'method=GET res={"statusCode":200}',
    });
    expect(readableLine(line)).toBe('INFO  request completed method=GET res={"statusCode":200}');
  });

  it("reads level words and numbers pino does not name", () => {
    expect(readableLine('{"level":"warn","msg":"slow"}')).toBe("WARN  slow");
    expect(readableLine('{"level":35,"msg":"custom"}')).toBe("35    custom");
    expect(readableLine('{"level":60,"msg":"down"}')).toBe("FATAL down");
  });

  it("leaves every other line as it is", () => {
    expect(readableLine("LOG:  checkpoint starting")).toBe("LOG:  checkpoint starting");
    expect(readableLine("{not json")).toBe("{not json");
    expect(logLineParts("[1,2]")).toBeUndefined();
  });

  it("shows the time of day of an entry", () => {
    expect(logTime("2026-01-01T12:00:01.123Z")).toBe("12:00:01.123");
  });
});

describe("a service's text, shown and never obeyed", () => {
  it("shows escape sequences, the bell, carriage returns and bidi overrides as escapes; keeps tabs and text", () => {
    expect(shownSafely("a\u001b]0;owned\u0007b\u001b[2Jc\rd\te \u202eevil é ✓")).toBe(
      "a\\x1b]0;owned\\x07b\\x1b[2Jc\\x0dd\te \\u202eevil é ✓",
    );
    expect(shownSafely("\u009b31m")).toBe("\\x9b31m"); // the one-byte CSI
  });

  it("neutralises a pino message and fields as well as a plain line", () => {
    expect(readableLine('{"level":30,"msg":"hi \\u001b[2J","user":"\\u0007"}')).toBe("INFO  hi \\x1b[2J user=\\x07");
    expect(readableLine("plain \u001b[31mred")).toBe("plain \\x1b[31mred");
  });

  it("decodes UTF-8 and shows every other byte as \\xNN (overlong forms and lone continuations too)", () => {
    const bytes = (...values: number[]) => Uint8Array.from(values);
    expect(decodeLogBytes(new TextEncoder().encode("héllo ✓ 𝄞"))).toBe("héllo ✓ 𝄞");
    expect(decodeLogBytes(bytes(0x62, 0xff, 0xfe, 0x61))).toBe("b\\xff\\xfea");
    expect(decodeLogBytes(bytes(0xc0, 0xaf))).toBe("\\xc0\\xaf"); // overlong "/"
    expect(decodeLogBytes(bytes(0x80, 0xc3, 0xa9, 0xe2, 0x9c))).toBe("\\x80é\\xe2\\x9c");
  });
});
