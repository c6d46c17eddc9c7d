import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runZero } from "../helpers/cli.js";
import { faultStack } from "./fault-stack.js";

// Fault: stack.yaml or .env made invalid while the stack runs (a half-typed edit). Real supervisor and app, run
// from a copy of the fixture folder so that its files can be broken.

describe.sequential("faults: stack.yaml or .env broken while the stack runs", { timeout: 90_000 }, () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  let stackYaml: string;
  let original: string;

  beforeAll(async () => {
    stack = await faultStack("app", {}, { ownCopy: true });
    stackYaml = join(stack.cwd, "stack.yaml");
    original = readFileSync(stackYaml, "utf8");
  });
  afterAll(async () => {
    writeFileSync(stackYaml, original);
    writeFileSync(join(stack.cwd, ".env"), "");
    await stack.cleanUp();
  });

  const upHealthy = async () => {
    const up = await stack.zero("up");
    expect(up.exitCode, up.all).toBe(0);
  };
  const expectAllStopped = async () => {
    expect(stack.processes()).toEqual([]);
    expect(await stack.portsFree()).toBe(true);
    expect(existsSync(join(stack.home, "state.json"))).toBe(false);
  };

  it("guarantee: with a half-typed stack.yaml, make status and make down work from the record (.zero/state.json) and say in one line that it is broken", async () => {
    await upHealthy();
    writeFileSync(stackYaml, original.slice(0, original.indexOf("  launcher:") + 14)); // cut mid-entry
    const status = await stack.zero("status");
    expect(status.stdout).toMatch(/^app\s+running\s+healthy/m);
    expect(status.exitCode, status.all).toBe(0);
    const notice = status.stderr.split("\n").filter((line) => line.includes("cannot be loaded"));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain("ZERO_STACK_INVALID");
    expect(notice[0]).toContain(join(stack.home, "state.json"));
    const down = await stack.zero("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(down.stdout).toContain("Stopped app");
    await expectAllStopped();
    writeFileSync(stackYaml, original);
  });

  it("make status notices an edited stack.yaml by its content, even with its old mtime restored (tar, cp -p, rsync -t)", async () => {
    await upHealthy();
    const before = statSync(stackYaml).mtime; // older than the start
    writeFileSync(stackYaml, "services: [not: a stack");
    utimesSync(stackYaml, before, before);
    const status = await stack.zero("status");
    expect(status.stdout).toMatch(/^app\s+running\s+healthy/m);
    expect(status.stderr).toContain("cannot be loaded"); // read and found broken, not skipped for its mtime
    writeFileSync(stackYaml, original);
    expect((await stack.zero("down")).exitCode).toBe(0);
    await expectAllStopped();
  });

  it("make status and make down without ZERO_HOME never take this checkout's stack running in another home (make bench's)", async () => {
    await upHealthy();
    // The developer's own commands: no ZERO_HOME, so the stack of this checkout in .zero (none runs there).
    const { ZERO_HOME: _, ...withoutHome } = stack.env;
    const own = (...args: string[]) => runZero(args, { cwd: stack.cwd, env: withoutHome });
    const status = await own("status");
    expect(status.stdout).not.toMatch(/^app\s+running/m);
    const down = await own("down");
    expect(down.exitCode, down.all).toBe(0);
    expect(down.stdout).not.toContain("Stopped app");
    expect(stack.state().services.app?.state).toBe("running"); // the other home's stack still runs
    expect((await stack.zero("down")).exitCode).toBe(0);
    await expectAllStopped();
  });

  it("guarantee: with a broken .env, make down volumes=1 stops from the record and deletes only the recorded home's data", async () => {
    await upHealthy();
    const data = join(stack.home, "data");
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, "marker"), "");
    writeFileSync(join(stack.cwd, "keep-me"), "");
    writeFileSync(join(stack.cwd, ".env"), "ZERO_RUNTIME=nativ\n"); // half-typed
    const status = await stack.zero("status");
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stderr).toContain("ZERO_CONFIG_INVALID");
    const down = await stack.zero("down", "--volumes", "--yes");
    expect(down.exitCode, down.all).toBe(0);
    await expectAllStopped();
    expect(existsSync(data)).toBe(false);
    expect(existsSync(join(stack.cwd, "keep-me"))).toBe(true);
    expect(existsSync(stackYaml)).toBe(true);
  });
});
