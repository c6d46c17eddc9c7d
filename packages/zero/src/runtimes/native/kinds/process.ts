import { delimiter, join, resolve } from "node:path";
import type { PrepareService } from "./kind.js";

/** A program from the OS or the workspace (node and process kinds): node_modules/.bin come first on PATH. */
export const prepareProcess: PrepareService = async (service, { root }) => {
  const cwd = resolve(root, service.cwd ?? ".");
  const [command, ...args] = service.command!;
  const path = [join(cwd, "node_modules", ".bin"), join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter);
  return {
    command: command!,
    args,
    cwd,
    env: { ...process.env, ...service.env, PATH: path },
    stopSignal: "SIGTERM",
  };
};
