import { describe, expect, it } from "vitest";
import { formatBytes, formatUptime } from "../src/lib/format";
import { LogBuffer, filterLogs, levelOf, logsAsText, parseLogEvent, readableLine, servicesIn, splitMatches, type LogEntry } from "../src/lib/log-buffer";
import { dependencyOrder, overallState, serviceBadge, type StackService, type StackStatus } from "../src/lib/status";

const entry = (i: number, service = i % 2 ? "api" : "postgres"): LogEntry => ({ ts: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}.000Z`, service, line: `line ${i}` });
const many = (count: number) => Array.from({ length: count }, (_, i) => entry(i));

describe("log buffer", () => {
  it("keeps the newest lines up to its capacity, in order", () => {
    const buffer = new LogBuffer(1_000);
    for (let i = 0; i < 5; i++) buffer.push(many(1_000).map((e, j) => ({ ...e, line: `batch ${i} line ${j}` })));
    expect(buffer.size).toBe(1_000);
    const lines = buffer.lines();
    expect(lines).toHaveLength(1_000);
    expect(lines[0]!.line).toBe("batch 4 line 0");
    expect(lines.at(-1)!.line).toBe("batch 4 line 999");
  });

  it("counts the lines it drops to stay within its line capacity", () => {
    const buffer = new LogBuffer(1_000);
    buffer.push(many(999));
    expect(buffer.dropped).toBe(0);
    buffer.push(many(2_500));
    expect(buffer.size).toBe(1_000);
    expect(buffer.dropped).toBe(2_499);
    buffer.push(many(1));
    expect(buffer.dropped).toBe(2_500);
  });

  it("keeps at most its characters in all, dropping the oldest lines and counting them", () => {
    const buffer = new LogBuffer(50_000, { chars: 10_000, lineChars: 1_000 });
    const long = (i: number): LogEntry => ({ ts: "t", service: "api", line: `${i}`.padEnd(1_000, "x") });
    buffer.push(Array.from({ length: 25 }, (_, i) => long(i)));
    const kept = buffer.lines();
    expect(kept.reduce((sum, entry) => sum + entry.line.length, 0)).toBeLessThanOrEqual(10_000);
    expect(kept).toHaveLength(10);
    expect(kept[0]!.line.startsWith("15x")).toBe(true);
    expect(buffer.dropped).toBe(15);
  });

  it("cuts one huge line to its line limit and says how much it cut", () => {
    const buffer = new LogBuffer(100, { chars: 1_000_000, lineChars: 64 * 1024 });
    buffer.push([{ ts: "t", service: "api", line: "y".repeat(20 * 1024 * 1024) }, entry(1)]);
    const [huge, next] = buffer.lines();
    expect(huge!.line.length).toBeLessThan(64 * 1024 + 100);
    expect(huge!.line).toMatch(/ … \[20905984 more characters of this line cut by the dashboard\]$/);
    expect(next!.line).toBe("line 1");
    expect(buffer.cut).toBe(1);
    expect(buffer.dropped).toBe(0);
  });

  it("takes a burst larger than the argument limit of a spread call", () => {
    const buffer = new LogBuffer(50_000);
    buffer.push(many(300_000));
    expect(buffer.size).toBe(50_000);
    expect(buffer.lines().at(-1)!.line).toBe("line 299999");
  });
});

describe("log filter", () => {
  const lines = [entry(1), entry(2), { ts: "t", service: "api", line: "GET /health?probe=Unique-42" }];

  it("filters by service, by case-insensitive text, and by both", () => {
    expect(filterLogs(lines, { service: "", search: "" })).toBe(lines);
    expect(filterLogs(lines, { service: "postgres", search: "" }).map((e) => e.line)).toEqual(["line 2"]);
    expect(filterLogs(lines, { service: "", search: " unique-42 " }).map((e) => e.service)).toEqual(["api"]);
    expect(filterLogs(lines, { service: "postgres", search: "unique" })).toEqual([]);
  });

  it("filters fifty thousand lines fast enough to run on each keystroke", () => {
    const big = many(50_000);
    const started = performance.now();
    const found = filterLogs(big, { service: "api", search: "line 4999" });
    expect(performance.now() - started).toBeLessThan(100);
    expect(found.map((e) => e.line)).toEqual(["line 4999", "line 49991", "line 49993", "line 49995", "line 49997", "line 49999"]);
  });

  it("lists the services seen plus the known ones, sorted", () => {
    expect(servicesIn(lines, ["web", "api"])).toEqual(["api", "postgres", "web"]);
  });

  it("parses a log event and ignores anything else", () => {
    expect(parseLogEvent('{"ts":"t","service":"api","line":"x"}')).toEqual({ ts: "t", service: "api", line: "x" });
    expect(parseLogEvent("not json")).toBeUndefined();
    expect(parseLogEvent('{"ts":"t"}')).toBeUndefined();
  });
});

describe("log line rendering", () => {
  it("shows a pino JSON line as level, message and fields, without the noise; other lines unchanged", () => {
    const json = '{"level":"info","time":"2026-01-01T00:00:00.000Z","service":"api","pid":1,"msg":"request completed","method":"GET","statusCode":200}';
    expect(readableLine(json)).toBe("INFO  request completed method=GET statusCode=200");
    expect(readableLine('{"level":50,"msg":"boom"}')).toBe("ERROR boom");
    expect(readableLine("{not json")).toBe("{not json");
    expect(readableLine("LOG:  checkpoint starting")).toBe("LOG:  checkpoint starting");
  });
});

describe("levels", () => {
  it("reads pino numbers and words, PostgreSQL's and other level words, crashes as errors", () => {
    expect(levelOf('{"level":50,"msg":"boom"}')).toBe("ERROR");
    expect(levelOf('{"level":"warn","msg":"slow"}')).toBe("WARN");
    expect(levelOf('{"level":20,"msg":"query"}')).toBe("DEBUG");
    expect(levelOf("2026-01-01 00:00:00 UTC [12] ERROR:  relation does not exist")).toBe("ERROR");
    expect(levelOf("2026-01-01 00:00:00 UTC [12] LOG:  checkpoint starting")).toBe("INFO");
    expect(levelOf("[zero] api exited unexpectedly (exit code 1)")).toBe("ERROR");
    expect(levelOf("ready in 300 ms")).toBeUndefined();
  });

  it("filters by minimum level, keeping lines that do not say", () => {
    const lines = [
      { ts: "t", service: "api", line: '{"level":30,"msg":"a"}' },
      { ts: "t", service: "api", line: '{"level":40,"msg":"b"}' },
      { ts: "t", service: "api", line: '{"level":50,"msg":"c"}' },
      { ts: "t", service: "web", line: "plain" },
    ];
    expect(filterLogs(lines, { service: "", search: "", level: "WARN" }).map((e) => e.line)).toEqual([lines[1]!.line, lines[2]!.line, "plain"]);
    expect(filterLogs(lines, { service: "", search: "", level: "ERROR" })).toHaveLength(2);
  });

  it("splits text around search matches for highlighting, case-insensitively", () => {
    expect(splitMatches("GET /Health ok health", "health")).toEqual([
      { text: "GET /", match: false, offset: 0 },
      { text: "Health", match: true, offset: 5 },
      { text: " ok ", match: false, offset: 11 },
      { text: "health", match: true, offset: 15 },
    ]);
    expect(splitMatches("abc", "")).toEqual([{ text: "abc", match: false, offset: 0 }]);
  });

  it("downloads as UTC time, service, line", () => {
    expect(logsAsText([{ ts: "2026-01-01T00:00:00.000Z", service: "api", line: "x" }])).toBe("2026-01-01T00:00:00.000Z api x\n");
  });
});

describe("stack status wording", () => {
  const service = (state: StackService["state"], health: StackService["health"], needs: string[] = []) =>
    ({ state, health, dependsOn: Object.fromEntries(needs.map((name) => [name, "healthy"])), ports: {}, urls: {}, restarts: 0, pid: 1, startedAt: "", kind: "node" }) as StackService;
  const stack = (services: Record<string, StackService>): StackStatus => ({ version: 1, runtime: "native", profile: "test", fingerprint: "", at: "", services });

  it("shows a process that is not running by its state, a running one by its health", () => {
    expect(serviceBadge(service("stopped", "unhealthy"))).toBe("stopped");
    expect(serviceBadge(service("running", "unhealthy"))).toBe("unhealthy");
    expect(serviceBadge(service("running", "healthy"))).toBe("healthy");
    expect(serviceBadge(service("running", "unknown"))).toBe("running");
  });

  it("sums the stack up in one word, a crash first", () => {
    expect(overallState(undefined)).toBe("unknown");
    expect(overallState(stack({ a: service("running", "healthy") }))).toBe("healthy");
    expect(overallState(stack({ a: service("running", "healthy"), b: service("stopped", "unknown") }))).toBe("degraded");
    expect(overallState(stack({ a: service("failed", "unknown"), b: service("starting", "unknown") }))).toBe("failed");
    // back from a crash but not healthy yet (a runner waiting for a fix): not "healthy"
    expect(overallState(stack({ a: { ...service("running", "unknown"), restarts: 1 } }))).toBe("degraded");
  });

  it("orders services dependencies first", () => {
    const services = { web: service("running", "healthy", ["api"]), api: service("running", "healthy", ["postgres", "redis"]), redis: service("running", "healthy"), postgres: service("running", "healthy") };
    expect(dependencyOrder(services)).toEqual(["postgres", "redis", "api", "web"]);
  });

  it("formats uptime and memory for people", () => {
    expect(formatUptime(null)).toBe("—");
    expect(formatUptime(42)).toBe("42s");
    expect(formatUptime(75)).toBe("1m 15s");
    expect(formatUptime(7_260)).toBe("2h 1m");
    expect(formatUptime(200_000)).toBe("2d 7h");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(52_428_800)).toBe("50.0 MB");
  });
});
