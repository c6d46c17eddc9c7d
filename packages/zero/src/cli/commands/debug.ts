import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { isPortFree } from "../../ports/check.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import type { Service } from "../../stack/schema.js";
import type { CommandOptions } from "../command-options.js";
import { createEventPrinter, colors as pc, type Output } from "../output.js";

/**
 * `zero debug <service>` (make debug-backend): the service's dependencies as `zero up` starts them, then the
 * service itself paused at its first line until a debugger attaches (the runtime's debug capability).
 */
export async function debug(project: Project, out: Output, options: CommandOptions): Promise<number> {
  const runtime = await runtimeFor(project.runtime);
  const run = capability(runtime, "debug");
  const service = debuggableService(project, options.positionals?.[0] ?? "api");
  const debugPort = service.ports.debug!;
  for (const port of Object.values(service.ports)) {
    if (!(await isPortFree(port))) {
      throw new ZeroError(
        "ZERO_PORT_IN_USE",
        `Port ${port} of ${service.name} is taken: is ${service.name} already running under make dev?`,
        {
          next: `Run \`make down\` (or \`zero stop ${service.name}\`), then \`make debug-backend\` again.`,
        },
      );
    }
  }
  // Loaded as `zero up <dependencies>` would load them, so an already running set of them is recognised.
  const dependencies = Object.keys(project.stack.services).filter((name) => name !== service.name);
  if (dependencies.length > 0) {
    out.line(`Starting what ${service.name} needs: ${dependencies.join(", ")}`);
    await runtime.up(options.reload({}, dependencies), createEventPrinter(out));
  }

  out.line("");
  out.line(`${pc.yellow("⏸")} ${pc.bold(`${service.name} waits for a debugger before running its first line`)}`);
  out.line(
    `  Attach    127.0.0.1:${debugPort}: VS Code "Attach to API" (F5), or chrome://inspect → Configure → 127.0.0.1:${debugPort}`,
  );
  out.line(
    `  Then      ${Object.values(service.urls)[0] ?? `port ${Object.values(service.ports)[0]}`} answers once you press Continue`,
  );
  out.line(
    pc.dim(
      "  Hot reload restarts it paused again (the VS Code configuration re-attaches). Ctrl-C stops it; make down stops the rest.",
    ),
  );
  out.line("");
  return run(project, service.name);
}

function debuggableService(project: Project, name: string): Service {
  const service = project.stack.services[name];
  const usable = Object.values(project.stack.services).filter(
    (s) => s.ports.debug && s.command?.some((a) => a.startsWith("--inspect")),
  );
  if (!service || !usable.includes(service)) {
    throw new ZeroError(
      "ZERO_USAGE",
      `${name} cannot be debugged here: it needs a debug port and an --inspect argument in stack.yaml.`,
      {
        next: `Use one of: ${usable.map((s) => s.name).join(", ") || "(none in this profile)"}.`,
      },
    );
  }
  return service;
}
