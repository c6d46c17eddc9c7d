import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopedToken } from "../../src/control/token-scopes.js";
import { runZero, waitFor, zeroBin } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const cwd = new URL("../fixtures/agent/", import.meta.url).pathname;
const NOISE_LINES = 50_000;

interface ToolAnswer {
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the answers are JSON the assertions walk into
  data: Record<string, any>;
  isError: boolean;
}

/**
 * `zero mcp` driven by the MCP SDK's own client over stdio, against a real stack (Redis and a small API that
 * breaks on cue and writes 50,000 lines at start): what a coding agent does when its edit breaks the API.
 */
describe.sequential("zero mcp with the SDK's client", () => {
  const canary = `canary-${randomBytes(8).toString("hex")}`;
  let env: Record<string, string>;
  let client: Client;
  const answers: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> => {
    const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 })) as {
      content: Array<{ type: string; text: string }>;
      isError?: boolean;
    };
    const text = result.content.map((part) => part.text).join("\n");
    answers.push(text);
    return { text, data: JSON.parse(text), isError: Boolean(result.isError) };
  };
  const apiOf = async () => (await call("status")).data.services.find((s: { name: string }) => s.name === "api");

  beforeAll(async () => {
    env = await isolatedEnv(["REDIS_PORT", "API_PORT"], { REDIS_PASSWORD: canary, NOISE_LINES: String(NOISE_LINES) });
    env.BREAK_FILE = join(env.ZERO_HOME!, "broken");
    const up = await runZero(["up"], { cwd, env });
    expect(up.exitCode, up.all).toBe(0);
    client = new Client({ name: "zero-test", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [zeroBin, "mcp"],
        cwd,
        env: { ...(process.env as Record<string, string>), ...env, NO_COLOR: "1" },
        stderr: "pipe",
      }),
    );
  });

  afterAll(async () => {
    await client?.close();
    await runZero(["down"], { cwd, env });
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("lists its tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        "config",
        "doctor",
        "down",
        "logs",
        "migrate",
        "reset_db",
        "restart_service",
        "restore_db",
        "seed",
        "start_service",
        "status",
        "stop_service",
        "trace",
        "traces",
      ].sort(),
    );
    expect(tools.find((tool) => tool.name === "status")?.annotations?.readOnlyHint).toBe(true);
  });

  it("answers a 50,000-line log bounded in lines and bytes, and finds a line by text", async () => {
    // The API is healthy once it listens; the supervisor may still be writing the 50,000 lines before that one.
    await waitFor(
      async () => (await call("logs", { service: "api", text: "listening on" })).data.matched === 1,
      60_000,
      "the whole log",
    );
    const all = await call("logs", { service: "api", lines: 500 });
    expect(all.data.lines.length).toBeGreaterThan(0);
    expect(all.data.lines.length).toBeLessThanOrEqual(500);
    expect(Buffer.byteLength(all.text)).toBeLessThan(20_000);
    expect(all.data.truncated).toBe(true);
    expect(all.data.next).toMatch(/narrow/);
    const found = await call("logs", { service: "api", text: `noise line ${NOISE_LINES - 1}` });
    expect(found.data.lines, found.text).toHaveLength(1);
    expect(found.data.lines[0]).toMatch(/api INFO +noise line 49999 reqId=req-49999/);
  });

  it("reads the status of an API that fails to start, its error lines, and restarts it after the fix", async () => {
    writeFileSync(env.BREAK_FILE!, "the agent's bad edit\n");
    const failed = await call("restart_service", { service: "api" });
    expect(failed.isError).toBe(true);
    expect(failed.data.error.code).toBe("ZERO_SERVICE_FAILED");
    expect(failed.data.error.details.join("\n")).toContain("Cannot find module './routes/users.js'");
    expect(failed.data.error.next).toMatch(/restart_service/);

    // Between retries it is restarting (briefly running while each attempt starts and crashes again).
    const api = await waitFor(
      async () => {
        const service = await apiOf();
        return service.state !== "running" && service;
      },
      30_000,
      "api restarting",
    );
    expect(api.problem).toMatch(/exit code 1/);
    const status = await call("status");
    expect(status.data.healthy).toBe(false);
    expect(status.data.next).toMatch(/logs with service=api, level=error/);

    const errors = await call("logs", { service: "api", level: "error" });
    expect(errors.data.lines.join("\n")).toContain("Cannot find module './routes/users.js'");
    expect(errors.data.lines.every((line: string) => !/noise line/.test(line))).toBe(true);

    rmSync(env.BREAK_FILE!);
    const fixed = await call("restart_service", { service: "api" });
    expect(fixed.isError, fixed.text).toBe(false);
    expect(fixed.data.service).toMatchObject({ name: "api", state: "running", health: "healthy" });
    expect((await call("status")).data.healthy).toBe(true);
  }, 120_000);

  it("refuses reset_db and down with volumes: it says what the developer runs, and nothing happens", async () => {
    const before = await apiOf();
    for (const [name, args, command] of [
      ["reset_db", {}, "make reset-db"],
      ["down", { volumes: true }, "make down volumes=1"],
    ] as const) {
      const first = await call(name, args);
      expect(first.data.refused).toBe(true);
      expect(first.data.humanStep).toContain(command);
      expect(first.data.humanStep).not.toMatch(/yes=1|--yes/);
      // Nothing to replay: the same call answers the same refusal, and no answer holds a token.
      expect((await call(name, args)).data).toEqual(first.data);
      expect(Object.keys(first.data).some((key) => /token|confirm/i.test(key))).toBe(false);
    }
    const after = await apiOf();
    expect(after).toMatchObject({ state: "running", restarts: before.restarts });
  });

  it("lists the traces the control API received and shows one, masked (traces tools)", async () => {
    // What the API's OpenTelemetry exporter sends with traces=1 (OTLP/HTTP JSON), posted with the read token the API
    // holds; the whole path from the API's instrumentation is tested in the browser (e2e/traces.test.ts).
    const { controlPort, token } = JSON.parse(readFileSync(join(env.ZERO_HOME!, "state.json"), "utf8")).supervisor;
    const traceId = randomBytes(16).toString("hex");
    // One moment for every span: Date.now() per span moved the offsets by a millisecond when the clock ticked between.
    const now = Date.now();
    const nanos = (ms: number) => String(BigInt(now + ms) * 1_000_000n);
    const span = (spanId: string, name: string, from: number, to: number, extra: object = {}) => ({
      traceId,
      spanId,
      name,
      kind: 3,
      startTimeUnixNano: nanos(from),
      endTimeUnixNano: nanos(to),
      ...extra,
    });
    const posted = await fetch(`http://127.0.0.1:${controlPort}/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${scopedToken(token, "read")}`, "content-type": "application/json" },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
            scopeSpans: [
              {
                spans: [
                  span("00f067aa0ba902b7", "GET /api/v1/things", 0, 30, {
                    kind: 2,
                    attributes: [{ key: "http.response.status_code", value: { intValue: 500 } }],
                  }),
                  span("00f067aa0ba902b8", "get", 5, 8, {
                    parentSpanId: "00f067aa0ba902b7",
                    attributes: [
                      { key: "db.connection_string", value: { stringValue: `redis://:${canary}@127.0.0.1` } },
                    ],
                    status: { code: 2, message: "WRONGPASS" },
                  }),
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(posted.status).toBe(200);
    const listed = await call("traces", { order: "failed" });
    expect(listed.data.traces[0]).toMatchObject({
      traceId,
      name: "GET /api/v1/things",
      spanCount: 2,
      error: true,
      httpStatus: 500,
    });
    expect(listed.data.next).toContain(traceId);
    const shown = await call("trace", { traceId });
    expect(shown.data.spans.map((s: { name: string }) => s.name)).toEqual(["GET /api/v1/things", "get"]);
    expect(shown.data.spans[1]).toMatchObject({ status: "error", statusMessage: "WRONGPASS", startOffsetMs: 5 });
    expect(shown.text).toContain("redis://:****@127.0.0.1");
    expect(shown.data.next).toMatch(/"get" failed: WRONGPASS/);
    const unknown = await call("trace", { traceId: "f".repeat(32) });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/no trace/);
  });

  it("answers config and doctor with secrets masked", async () => {
    const config = await call("config");
    expect(config.data.settings.find((row: { name: string }) => row.name === "REDIS_PASSWORD")?.value).toBe("****");
    const doctor = await call("doctor");
    expect(doctor.data.passed).toBeGreaterThan(0);
  });

  it("never lets the planted canary secret into an answer", async () => {
    const lines = await call("logs", { service: "api", text: "connecting to redis", lines: 5 });
    expect(lines.data.lines.length).toBeGreaterThan(0);
    expect(lines.data.lines[0]).toContain("password ****");
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer).not.toContain(canary);
  });
});
