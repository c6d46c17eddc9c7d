import { describe, expect, it } from "vitest";
import { levelOf, MAX_BYTES, MAX_LINES, queryLogs } from "../../src/agents/log-query.js";

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString();
const pino = (level: number, msg: string) => JSON.stringify({ level, time: 0, msg });

describe("the MCP logs tool's filter and bounds", () => {
  it("reads the level of pino lines and of plain text", () => {
    expect(levelOf(pino(50, "boom"))).toBe("error");
    expect(levelOf(pino(40, "slow"))).toBe("warn");
    expect(levelOf("Error: Cannot find module './x.js'")).toBe("error");
    expect(levelOf("listening on 3001")).toBe("info");
  });

  it("keeps the lowest level and above, the text asked for, and the time range", () => {
    const entries = [
      { ts: at(1), service: "api", line: pino(30, "GET /users") },
      { ts: at(2), service: "api", line: pino(50, "query failed: relation users") },
      { ts: at(3), service: "api", line: pino(60, "fatal: out of memory") },
      { ts: at(4), service: "api", line: pino(50, "query failed again") },
    ];
    expect(queryLogs(entries, { level: "error" }).lines).toHaveLength(3);
    expect(queryLogs(entries, { level: "error", text: "QUERY" }).lines).toHaveLength(2);
    const ranged = queryLogs(entries, { since: at(2), until: at(4) });
    expect(ranged.lines.map((line) => line.slice(0, 12))).toEqual(["12:00:02.000", "12:00:03.000"]);
  });

  it("answers the newest lines within the line and byte bounds, oldest first, and says it left some out", () => {
    const entries = Array.from({ length: 5_000 }, (_, index) => ({
      ts: at(0),
      service: "api",
      line: `line ${index} ${"x".repeat(200)}`,
    }));
    const answer = queryLogs(entries, { lines: MAX_LINES });
    expect(answer.truncated).toBe(true);
    expect(answer.matched).toBe(5_000);
    expect(answer.lines.join("\n").length).toBeLessThanOrEqual(MAX_BYTES);
    expect(answer.lines.at(-1)).toContain("line 4999 ");
    expect(queryLogs(entries, { lines: 3 }).lines.map((line) => line.split(" ")[3])).toEqual(["4997", "4998", "4999"]);
  });

  it("cuts one very long line instead of answering with it whole", () => {
    const [line] = queryLogs([{ ts: at(0), service: "web", line: "y".repeat(50_000) }], {}).lines;
    expect(line!.length).toBeLessThan(700);
    expect(line).toMatch(/more characters\)$/);
  });
});
