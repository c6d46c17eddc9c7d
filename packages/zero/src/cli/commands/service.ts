import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import type { CommandOptions } from "../command-options.js";
import { colors as pc, type Output } from "../output.js";

/** `zero restart|stop|start <service>`: one service, through whatever runs the stack. */
export function serviceAction(action: "restart" | "stop" | "start") {
  return async (project: Project, out: Output, options: CommandOptions): Promise<number> => {
    const service = serviceArgument(project, options, `zero ${action} <service>`);
    const outcome = await capability(await runtimeFor(project.runtime), action)(project, service);
    // Joined: a restart pressed elsewhere (the dashboard, another terminal) was already running; this one waited for it.
    const joined = outcome?.joined ? ` (joined the ${action} already in progress)` : "";
    out.line(`${pc.green("✔")} ${service}: ${{ restart: "restarted", stop: "stopped (it stays stopped until `zero start`)", start: "started" }[action]}${joined}.`);
    return 0;
  };
}

/** `zero exec <service> -- <command...>`: runs a command inside the running service; its exit code is ours. */
export async function exec(project: Project, _out: Output, options: CommandOptions): Promise<number> {
  const service = serviceArgument(project, options, "zero exec <service> -- <command...>");
  const command = options.positionals!.slice(1);
  if (command.length === 0) throw new ZeroError("ZERO_USAGE", "Which command?", { next: `e.g. zero exec ${service} -- sh` });
  return capability(await runtimeFor(project.runtime), "exec")(project, service, command);
}

function serviceArgument(project: Project, options: CommandOptions, usage: string): string {
  const service = options.positionals?.[0];
  const names = Object.keys(project.stack.services);
  if (!service || !names.includes(service)) {
    throw new ZeroError("ZERO_USAGE", service ? `No service "${service}" in profile ${project.profile}.` : "Which service?", {
      next: `Usage: ${usage}, with one of: ${names.join(", ")}.`,
    });
  }
  return service;
}
