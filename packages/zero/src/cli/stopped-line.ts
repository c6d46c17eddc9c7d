import type { DownResult } from "../runtimes/runtime.js";
import { colors as pc, type Output } from "./output.js";

/** The one line after a stop: what stopped, in how long, and where the data is kept (or that it was removed). */
export function printStopped(out: Output, result: DownResult, began: number, dataLocation: string): number {
  if (result.nothingRunning) {
    out.line(
      result.dataRemoved
        ? `${pc.green("✔")} Nothing was running; its data was removed.`
        : "Nothing is running - nothing to stop.",
    );
    return 0;
  }
  const names = [...result.stopped, ...result.orphansStopped];
  const kept = result.dataRemoved ? "Its data was removed." : `Data is kept in ${dataLocation}.`;
  out.line(`${pc.green("✔")} Stopped ${names.join(", ") || "the supervisor"} in ${Date.now() - began} ms. ${kept}`);
  return 0;
}
