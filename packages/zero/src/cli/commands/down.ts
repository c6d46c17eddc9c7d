import type { Project } from "../../config/project.js";
import { runtimeFor } from "../../runtimes/index.js";
import type { DownResult } from "../../runtimes/runtime.js";
import { removeEntry } from "../../stacks/registry.js";
import { confirm } from "../confirm.js";
import { createEventPrinter, colors as pc, type Output } from "../output.js";

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

/** The one line after a stop: what stopped, in how long, and where the data is kept (or that it was removed). */
export function printStopped(out: Output, result: DownResult, began: number, dataLocation: string): number {
  if (result.nothingRunning) {
    out.line(result.dataRemoved ? `${pc.green("✔")} Nothing was running; its data was removed.` : "Nothing is running - nothing to stop.");
    return 0;
  }
  const names = [...result.stopped, ...result.orphansStopped];
  const kept = result.dataRemoved ? "Its data was removed." : `Data is kept in ${dataLocation}.`;
  out.line(`${pc.green("✔")} Stopped ${names.join(", ") || "the supervisor"} in ${Date.now() - began} ms. ${kept}`);
  return 0;
}
