import { spawn } from "node:child_process";
import { once } from "node:events";
import type { Project } from "../../config/project.js";
import { prepareFor } from "./drivers/index.js";

/**
 * The service's own command with --inspect turned into --inspect-brk, in the foreground with the terminal attached.
 * Not under the supervisor: a paused process cannot pass a health check, and Ctrl-C ends a debugging session.
 */
export async function runPausedForDebugger(project: Project, name: string): Promise<number> {
  const service = project.stack.services[name]!;
  const spec = await prepareFor(service)(service, {
    root: project.root,
    home: project.home,
    signal: AbortSignal.timeout(120_000),
    note: () => {},
  });
  const args = spec.args.map((arg) => arg.replace(/^--inspect(?==|$)/, "--inspect-brk"));
  const child = spawn(spec.command, args, { cwd: spec.cwd, env: spec.env, stdio: "inherit" });
  // The child gets Ctrl-C from the terminal itself; a signal sent to zero alone (a test, an IDE) is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward).on("SIGTERM", forward);
  try {
    const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    return code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1);
  } finally {
    process.off("SIGINT", forward).off("SIGTERM", forward);
  }
}
