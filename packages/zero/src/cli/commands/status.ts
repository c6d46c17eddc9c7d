import type { Project } from "../../config/project.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import { printStatus } from "../status-table.js";
import type { Output } from "../output.js";

/** `zero status` (make status): one row per service; exit 0 only when everything is healthy. */
export async function status(project: Project, out: Output, options: { json?: boolean }): Promise<number> {
  const services = await capability(await runtimeFor(project.runtime), "status")(project);
  return printStatus(services, (name) => project.stack.services[name]?.urls ?? {}, out, options);
}
