import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../src/ports/check.js";
import { repoRoot, runZero, waitFor, zeroBin } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

// The test profile's fixed passwords (stack.yaml): what must never show up in `ps`.
const passwords = ["test-only-postgres-password", "test-only-redis-password"];
const psArgs = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });

/** make psql, make redis-cli and make debug-backend against the real stack (test profile, free ports). */
describe.sequential("database clients and the paused API", () => {
  let env: Record<string, string>;
  const zero = (command: string, ...rest: string[]) =>
    runZero([command, "--profile", "test", ...rest], { cwd: repoRoot, env });

  beforeAll(async () => {
    env = await isolatedEnv(["POSTGRES_PORT", "REDIS_PORT", "API_PORT", "API_DEBUG_PORT", "WEB_PORT"]);
  });

  afterAll(async () => {
    await zero("down");
    rmSync(env.ZERO_HOME!, { recursive: true, force: true });
  });

  it("psql and redis-cli reach the stack with the password from the configuration, never in argv", async () => {
    const up = await zero("up", "postgres", "redis");
    expect(up.exitCode, up.all).toBe(0);

    const who = await zero("psql", "--", "-tAc", "select current_user");
    expect(who.exitCode, who.all).toBe(0);
    expect(who.all!.trim()).toBe("app");
    const pong = await zero("redis-cli", "--", "ping");
    expect(pong.all!.trim()).toBe("PONG");

    // While a client runs, nothing in the process table carries a password.
    const slow = zero("psql", "--", "-tAc", "select pg_sleep(2)");
    const blocked = zero("redis-cli", "--", "blpop", "nothing-here", "2");
    await waitFor(
      () => /psql -h 127\.0\.0\.1/.test(psArgs()) && /redis-cli -h 127\.0\.0\.1/.test(psArgs()),
      10_000,
      "clients running",
    );
    const table = psArgs();
    for (const password of passwords) expect(table).not.toContain(password);
    expect((await slow).exitCode).toBe(0);
    expect((await blocked).exitCode).toBe(0);
  }, 120_000);

  it("debug starts the API paused until a debugger attaches, then serves", async () => {
    const child = spawn(process.execPath, [zeroBin, "debug", "api", "--profile", "test"], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    try {
      await waitFor(() => output.includes("waits for a debugger"), 60_000, `the paused summary; got:\n${output}`);
      expect(output).toContain(`127.0.0.1:${env.API_DEBUG_PORT}`);
      const targets = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${env.API_DEBUG_PORT}/json/list`);
          return ((await response.json()) as { webSocketDebuggerUrl: string }[])[0];
        },
        30_000,
        "the inspector",
      );
      // Paused before its first line: nothing listens on the API port yet.
      await sleep(1000);
      expect(await isPortFree(Number(env.API_PORT))).toBe(true);

      // Attach like a debugger does and press Continue (Node 20 has WebSocket behind a flag).
      const attach = `const ws = new WebSocket(${JSON.stringify(targets!.webSocketDebuggerUrl)});
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: "Runtime.runIfWaitingForDebugger" }));
        ws.onmessage = () => setTimeout(() => process.exit(0), 200);`;
      await execa(process.execPath, ["--experimental-websocket", "--no-warnings", "-e", attach], { timeout: 10_000 });
      const ready = await waitFor(
        async () => (await fetch(`http://127.0.0.1:${env.API_PORT}/health/ready`)).ok,
        60_000,
        "the API",
      );
      expect(ready).toBe(true);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nzero debug printed:\n${output}`);
    } finally {
      if (child.exitCode === null) {
        child.kill("SIGINT");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    }
    await waitFor(() => isPortFree(Number(env.API_PORT)), 15_000, "the API to stop");
  }, 180_000);
});
