import type { RecordedStack } from "./runtime.js";
import type { RuntimeName } from "./table.js";

/**
 * A runtime's record of a running stack, loaded without the runtime (cli/record-path.ts): native only so far. Apart
 * from the registry (index.ts), whose loaders name every runtime: `zero status` and `zero down` bundle only this.
 */
const recordReaders: Partial<Record<RuntimeName, (home: string) => Promise<RecordedStack | undefined>>> = {
  native: async (home) => (await import("./native/recorded-stack.js")).recordedStack(home),
};

/** A running stack as its runtime's record knows it, when the runtime can answer from it (native); else undefined. */
export async function recordedStack(runtime: string, home: string): Promise<RecordedStack | undefined> {
  return recordReaders[runtime as RuntimeName]?.(home);
}
