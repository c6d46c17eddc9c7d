import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import "./support/provided-context.js";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("the real server process", () => {
  it("serves HTTP and exits 0 soon after SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: API_DIR,
      env: {
        PATH: process.env.PATH,
        HOST: "127.0.0.1",
        PORT: "0",
        DATABASE_URL: inject("databaseUrl"),
        REDIS_URL: inject("redisUrl"),
        LOG_LEVEL: "INFO",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    let output = "";
    child.stderr.on("data", (chunk) => (output += chunk));
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        output += chunk;
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`server exited early with ${code}:\n${output}`)));
    });

    const response = await fetch(`${address}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });

    const sentAt = performance.now();
    child.kill("SIGTERM");
    const [code, signal] = await once(child, "exit");
    expect({ code, signal, output: code === 0 ? "" : output }).toEqual({ code: 0, signal: null, output: "" });
    expect(performance.now() - sentAt).toBeLessThan(5_000);
    expect(output).toContain('"msg":"shutting down"');
  });
});
