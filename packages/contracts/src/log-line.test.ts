import { describe, expect, it } from "vitest";
import { logLineParts, logTime, readableLine } from "./log-line.js";

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
