import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  abandonHelper,
  bootHelper,
  type HelperRecord,
  type HelperStart,
  logTailDetails,
  startHelper,
  stopHelper,
} from "./helper-process.js";
import { processStartTime } from "./process-info.js";

// Real helper processes, tiny scripts: what is checked is which processes run, get signals and exit.
const dir = mkdtempSync(join(tmpdir(), "zero-helper-"));
const fixtures = {
  // Says ready with a child of its own (same group), then runs until stopped.
  ready: `process.once("message", (plan) => {
    const { spawn } = require("node:child_process");
    const child = spawn("sleep", ["60"], { stdio: "ignore" });
    process.send({ ready: true, child: child.pid, plan });
    setInterval(() => {}, 1000);
  });`,
  dies: `process.once("message", () => { console.error("cannot bind 127.0.0.1:1: EACCES"); process.exit(3); });`,
  fails: `process.once("message", () => {
    console.log("stopping what I started");
    process.send({ failed: "port taken" }, () => setTimeout(() => process.exit(1), 200));
  });`,
  failsThenHangs: `process.on("SIGTERM", () => {});
    process.once("message", () => process.send({ failed: "disk full" }, () => console.log("cleaning up", process.pid)));
    setInterval(() => {}, 1000);`,
  diesAtOnce: `console.error("cannot load my code"); process.exit(4);`,
  silent: `process.once("message", () => console.log("thinking", process.pid)); setInterval(() => {}, 1000);`,
  ignoresTerm: `process.on("SIGTERM", () => console.log("TERM ignored"));
    process.once("message", () => process.send({ ready: true })); setInterval(() => {}, 1000);`,
};
for (const [name, source] of Object.entries(fixtures)) writeFileSync(join(dir, `${name}.cjs`), source);

type Message = { ready?: true; failed?: string; child?: number };
const started: number[] = [];

async function start(fixture: keyof typeof fixtures, deadlineMs = 10_000) {
  const logPath = join(dir, `${fixture}-${started.length}.log`);
  writeFileSync(logPath, "a line from an earlier run\n");
  const messages: Message[] = [];
  const outcome = await startHelper<Message, string>({
    entry: pathToFileURL(join(dir, `${fixture}.cjs`)),
    logPath,
    cwd: dir,
    plan: { hello: "helper" },
    deadlineMs,
    graceMs: 500,
    answer: (message) => {
      messages.push(message);
      return message.ready ? { ready: true } : message.failed ? { failed: message.failed } : undefined;
    },
  });
  if (outcome.ready) started.push(outcome.helper.pid);
  return { outcome, messages };
}

function runs(pid: number): boolean {
  return processStartTime(pid) !== undefined;
}

function notReady(outcome: HelperStart<string>) {
  if (outcome.ready) throw new Error("expected the start to fail");
  return outcome;
}

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // stopped by the test
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("starting a helper process", () => {
  it("sends the plan, waits for ready, records pid and start time, and leaves it running in its own group", async () => {
    const { outcome, messages } = await start("ready");
    if (!outcome.ready) throw new Error(`not ready: ${JSON.stringify(outcome)}`);
    expect(messages[0]).toMatchObject({ plan: { hello: "helper" } });
    expect(outcome.helper.startTime).toBe(processStartTime(outcome.helper.pid));
    expect(runs(outcome.helper.pid)).toBe(true);
    const stopped = await stopHelper(outcome.helper, { graceMs: 5_000 });
    expect(stopped).toEqual({ wasRunning: true, forced: false });
    expect(runs(outcome.helper.pid)).toBe(false);
    expect(runs(messages[0]!.child!)).toBe(false); // the whole group, not only its leader
  });

  it("gives the exit and this run's own log lines when the helper dies before ready", async () => {
    const outcome = notReady((await start("dies")).outcome);
    expect(outcome).toMatchObject({ why: "exited", exitCode: 3, signal: null });
    expect(outcome.logTail).toBe("cannot bind 127.0.0.1:1: EACCES");
    expect(logTailDetails(outcome)).toEqual(["Its log ends with:", "  cannot bind 127.0.0.1:1: EACCES"]);
  });

  it("waits for a helper that reports a failure to exit, then gives its failure and log", async () => {
    const outcome = notReady((await start("fails")).outcome);
    expect(outcome).toMatchObject({ why: "failed", failure: "port taken", logTail: "stopping what I started" });
  });

  it("keeps the failure a helper reported, and kills it, when it then hangs past the deadline", async () => {
    const outcome = notReady((await start("failsThenHangs", 400)).outcome);
    expect(outcome).toMatchObject({
      why: "failed",
      failure: "disk full",
      logTail: expect.stringMatching(/^cleaning up \d+$/),
    });
    expect(runs(Number(outcome.logTail.split(" ")[2]))).toBe(false);
  });

  it("stops a helper that misses its deadline", async () => {
    const begun = Date.now();
    const outcome = notReady((await start("silent", 400)).outcome);
    expect(outcome).toMatchObject({
      why: "timed out",
      deadlineMs: 400,
      logTail: expect.stringMatching(/^thinking \d+$/),
    });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(400);
    expect(runs(Number(outcome.logTail.split(" ")[1]))).toBe(false); // stopped, not left running
  });
});

describe("a helper booted before its plan is ready (zero up's early supervisor)", () => {
  const spec = (fixture: keyof typeof fixtures) => {
    const logPath = join(dir, `booted-${fixture}-${Date.now()}.log`);
    writeFileSync(logPath, "a line from an earlier run\n");
    return { entry: pathToFileURL(join(dir, `${fixture}.cjs`)), logPath, cwd: dir };
  };
  const answer = (message: Message) => (message.ready ? ({ ready: true } as const) : undefined);

  it("takes its plan later and says ready like one started then", async () => {
    const booting = bootHelper(spec("ready"));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the checks of `zero up` run meanwhile
    const outcome = await startHelper<Message, string>(
      { ...spec("ready"), plan: { late: true }, deadlineMs: 10_000, answer },
      booting,
    );
    if (!outcome.ready) throw new Error(`not ready: ${JSON.stringify(outcome)}`);
    started.push(outcome.helper.pid);
    expect(outcome.helper.pid).toBe(booting.child.pid);
  });

  it("is gone, reaped, when abandoned (nothing was started with it)", async () => {
    const booting = bootHelper(spec("ready"));
    await abandonHelper(booting);
    expect(runs(booting.helper.pid)).toBe(false);
    expect(booting.child.connected).toBe(false);
  });

  it("exits by itself when its starter goes before telling it its plan (make dev killed meanwhile)", async () => {
    const booting = bootHelper(spec("ready"));
    const exited = new Promise((resolve) => booting.child.once("exit", (code, signal) => resolve({ code, signal })));
    booting.child.disconnect(); // what the CLI's death does to the channel
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it("reports its exit at once when it died before it was told its plan, not at the deadline", async () => {
    const { logPath, ...rest } = spec("diesAtOnce");
    const booting = bootHelper({ logPath, ...rest });
    await new Promise((resolve) => booting.child.once("exit", resolve));
    const outcome = notReady(
      await startHelper<Message, string>({ logPath, ...rest, plan: {}, deadlineMs: 60_000, answer }, booting),
    );
    expect(outcome).toMatchObject({ why: "exited", exitCode: 4, logTail: "cannot load my code" });
  });
});

describe("stopping a helper process", () => {
  const others: ChildProcess[] = [];
  afterEach(() => {
    for (const child of others.splice(0)) child.kill("SIGKILL");
  });

  it("kills a helper that ignores SIGTERM at the deadline", async () => {
    const { outcome } = await start("ignoresTerm");
    if (!outcome.ready) throw new Error("not ready");
    const begun = Date.now();
    const stopped = await stopHelper(outcome.helper, { graceMs: 300 });
    expect(stopped).toEqual({ wasRunning: true, forced: true });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(300);
    expect(runs(outcome.helper.pid)).toBe(false);
  });

  it("never signals a process whose start time is not the recorded one (a reused pid), nor a record without one", async () => {
    const other = spawn("sleep", ["30"], { stdio: "ignore", detached: true });
    others.push(other);
    const records: Partial<HelperRecord>[] = [
      { pid: other.pid!, startTime: "1" },
      { pid: other.pid! },
      { pid: other.pid!, startTime: "" },
    ];
    for (const record of records)
      expect(await stopHelper(record, { graceMs: 100, signal: "SIGKILL" })).toEqual({
        wasRunning: false,
        forced: false,
      });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.exitCode).toBe(null);
    expect(other.signalCode).toBe(null);
  });

  it("only waits, without a signal, for a helper already asked to exit", async () => {
    const { outcome } = await start("ready");
    if (!outcome.ready) throw new Error("not ready");
    setTimeout(() => process.kill(-outcome.helper.pid, "SIGINT"), 200); // what its own API would do
    const stopped = await stopHelper(outcome.helper, { graceMs: 5_000, signal: "none" });
    expect(stopped).toEqual({ wasRunning: true, forced: false });
    expect(runs(outcome.helper.pid)).toBe(false);
  });
});
