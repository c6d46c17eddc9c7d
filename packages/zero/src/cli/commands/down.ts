import type { Project } from "../../config/project.js";
import { runtimeFor } from "../../runtimes/index.js";
import { removeEntry } from "../../stacks/registry.js";
import { confirm } from "../confirm.js";
import { createEventPrinter, type Output } from "../output.js";
import { printStopped } from "../stopped-line.js";

/** `zero down` (make down): stop everything, keep the data. */
export async function down(project: Project, out: Output, options: { volumes?: boolean; yes?: boolean } = {}): Promise<number> {
  const began = Date.now();
  const runtime = await runtimeFor(project.runtime);
  const question = options.volumes ? runtime.confirmDataRemoval?.(project) : undefined;
  if (question) await confirm(question, { yes: options.yes, flag: "--yes (make: yes=1)" });
  const result = await runtime.down(project, createEventPrinter(out), { volumes: options.volumes });
  removeEntry(project.home);
  return printStopped(out, result, began, runtime.dataLocation(project));
}
