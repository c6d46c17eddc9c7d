import { delimiter, join, resolve } from "node:path";
import { ZeroError } from "../../../errors/zero-error.js";
import { kindOf } from "../../../kinds/index.js";
import type { PrepareService } from "./driver.js";

/**
 * The service's own command, a program from the OS or the workspace: node_modules/.bin come first on PATH.
 * A service without one (a container image) cannot run natively and is refused.
 */
export const prepareCommand: PrepareService = async (service, { root }) => {
  if (!service.command) {
    throw new ZeroError(
      "ZERO_UNSUPPORTED",
      `${service.name} is a container image (kind ${service.kind}) with no command to run natively.`,
      {
        why: "The native runtime runs processes on this machine; an image needs a container runtime.",
        next: `Run it with runtime=compose, give services.${service.name} a command to run natively, or set native: skip to leave it out of native runs.`,
      },
    );
  }
  const cwd = resolve(root, service.cwd ?? ".");
  const [command, ...args] = service.command;
  const path = [join(cwd, "node_modules", ".bin"), join(root, "node_modules", ".bin"), process.env.PATH].join(
    delimiter,
  );
  const own: NodeJS.ProcessEnv = { ...process.env, ...service.env };
  const defaults = kindOf(service).native.env ?? {};
  const env: NodeJS.ProcessEnv = { ...defaults, ...own, PATH: path };
  if (defaults.NODE_OPTIONS) env.NODE_OPTIONS = [defaults.NODE_OPTIONS, own.NODE_OPTIONS].filter(Boolean).join(" ");
  return {
    command: command!,
    args,
    cwd,
    env,
    stopSignal: "SIGTERM",
  };
};
