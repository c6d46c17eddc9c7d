import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
