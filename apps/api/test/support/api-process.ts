import { type ChildProcessByStdio, spawn, spawnSync } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { onTestFinished } from "vitest";
import { serverEnv } from "./server-env.js";

/** A Node process of the API's (its server or its dev runner), with what it printed so far. */
export interface ApiProcess {
  launcher: ChildProcessByStdio<null, Readable, Readable>;
  /** Its own process group: the server hosts and esbuild services it starts are in it. */
  group: number;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** Its fd 3, when started with `gate`: the supervisor's dependency gate (ZERO_DEPENDENCIES_FD). */
  gate: Writable | undefined;
}

/**
 * Starts `node <args>` in `cwd` (the API's folder, or a copy of it) in a process group of its own, as the supervisor
 * does, collecting its output; whatever is left of the group is killed after the test.
 */
export function startApiProcess(
  cwd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; gate?: boolean } = {},
): ApiProcess {
  const env = options.env ?? serverEnv();
  const launcher = spawn(process.execPath, args, {
    cwd,
    env: options.gate ? { ...env, ZERO_DEPENDENCIES_FD: "3" } : env,
    stdio: options.gate ? ["ignore", "pipe", "pipe", "pipe"] : ["ignore", "pipe", "pipe"],
    detached: true,
  }) as ChildProcessByStdio<null, Readable, Readable>;
  const group = launcher.pid!;
  onTestFinished(() => {
    if (groupProcesses(group).length > 0) process.kill(-group, "SIGKILL");
  });
  let output = "";
  launcher.stdout.on("data", (chunk) => (output += chunk));
  launcher.stderr.on("data", (chunk) => (output += chunk));
  const gate = options.gate ? (launcher.stdio[3] as Writable) : undefined;
  return { launcher, group, output: () => output, gate };
}

/**
 * Resolves with the first match of `pattern` in the process's output; rejects, with the output, when the process
 * ends without printing it or the deadline passes.
 */
export function untilOutput(run: ApiProcess, pattern: RegExp, deadlineMs = 30_000): Promise<RegExpExecArray> {
  const { launcher, output } = run;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      launcher.stdout.off("data", check);
      launcher.stderr.off("data", check);
      launcher.off("close", ended);
      then();
    };
    const check = () => {
      const match = pattern.exec(output());
      if (match) settle(() => resolve(match));
    };
    const ended = () => {
      const status = launcher.exitCode ?? launcher.signalCode;
      settle(() => reject(new Error(`exited (${status}) without printing ${pattern}:\n${output()}`)));
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`no ${pattern} within ${deadlineMs} ms:\n${output()}`))),
      deadlineMs,
    );
    launcher.stdout.on("data", check);
    launcher.stderr.on("data", check);
    launcher.once("close", ended); // after its output has all arrived
    check();
    if (launcher.stdout.readableEnded && launcher.stderr.readableEnded) ended(); // ended before this call
  });
}

/** The address the server announced ("Server listening at …"), once it has. */
export async function listeningAddress(run: ApiProcess): Promise<string> {
  return (await untilOutput(run, /Server listening at (http:\/\/[\d.:]+)/))[1]!;
}

/** The processes of a process group, with their command lines. */
export function groupProcesses(group: number): { pid: number; args: string }[] {
  const found = spawnSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" }).stdout;
  return found
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[2]) === group)
    .map((match) => ({ pid: Number(match![1]), args: match![3]! }));
}
