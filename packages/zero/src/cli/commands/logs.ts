import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import type { Output } from "../output.js";
import { renderLogLine } from "../render-log.js";
import type { CommandOptions } from "../command-options.js";

/** `zero logs [service]` (make logs): every service's lines with a prefix; follows in a terminal. */
export async function logs(project: Project, out: Output, options: CommandOptions): Promise<number> {
  const service = options.positionals?.[0];
  const services = Object.keys(project.stack.services);
  if (service && !services.includes(service)) {
    throw new ZeroError("ZERO_USAGE", `No service "${service}" in profile ${project.profile}.`, { next: `Name one of: ${services.join(", ")}.` });
  }
  const follow = options.follow ?? Boolean(process.stdout.isTTY);
  const width = Math.max(...services.map((name) => name.length));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  try {
    await capability(await runtimeFor(project.runtime), "logs")(
      project,
      { service, tail: options.tail ?? 100, since: options.since, follow },
      (line) => out.line(renderLogLine(line, width, services)),
      stop.signal,
    );
  } finally {
    process.off("SIGINT", onSignal);
  }
  return 0;
}
