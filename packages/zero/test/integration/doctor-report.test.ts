import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runZero } from "../helpers/cli.js";
import { isolatedEnv } from "../helpers/stack-env.js";

const cwd = new URL("../fixtures/lifecycle/", import.meta.url).pathname;
// Secrets the report must not contain: the configured passwords, and credentials only a log line knows about.
const canary = `canary${Date.now()}secret`;
const strangerToken = `tok${Date.now()}unlisted`;
const bearer = `bearer${Date.now()}value`;

describe("make doctor report=1 (zero doctor --report)", () => {
  let home = "";
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("writes one private file with checks, configuration and logs, every secret redacted", async () => {
    const env = await isolatedEnv(["POSTGRES_PORT", "REDIS_PORT", "APP_PORT"], {
      POSTGRES_PASSWORD: canary,
      REDIS_PASSWORD: `${canary}r`,
    });
    home = env.ZERO_HOME!;
    // A log as a service might have written it (no stack needs to run: the report reads the files).
    mkdirSync(join(home, "logs"), { recursive: true });
    writeFileSync(
      join(home, "logs", "app.log"),
      [
        `2026-11-28T09:00:00.000Z connecting to postgres://fixture:${canary}@127.0.0.1:5432/fixture`,
        `2026-11-28T09:00:01.000Z retry with SESSION_TOKEN=${strangerToken}`,
        `2026-11-28T09:00:02.000Z request headers: authorization: Bearer ${bearer}`,
        "2026-11-28T09:00:03.000Z listening on 3001",
      ].join("\n"),
    );

    const result = await runZero(["doctor", "--report"], { cwd, env });
    expect(result.exitCode, result.all).toBe(0);
    const file = /Report written to (\S+) /.exec(result.all!)?.[1];
    expect(file, result.all).toBeTruthy();
    expect(statSync(file!).mode & 0o777).toBe(0o600);

    const report = readFileSync(file!, "utf8");
    for (const section of ["## environment", "## doctor", "## configuration", "## status", "## logs"]) {
      expect(report).toContain(section);
    }
    expect(report).toMatch(/^POSTGRES_PASSWORD=\*+/m);
    expect(report).toContain("listening on 3001");
    expect(report).toContain("postgres://fixture:****@127.0.0.1:5432/fixture");
    for (const secret of [canary, strangerToken, bearer]) expect(report).not.toContain(secret);
    expect(result.all).not.toContain(canary);
  });
});
