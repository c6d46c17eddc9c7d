import { ZeroError } from "../errors/zero-error.js";
import { ComposeRuntime } from "./compose/compose-runtime.js";
import { NativeRuntime } from "./native/native-runtime.js";
import type { Runtime } from "./runtime.js";

const runtimes: Record<string, () => Runtime> = {
  native: () => new NativeRuntime(),
  compose: () => new ComposeRuntime(),
};

/** The runtime adapter for a name from --runtime / ZERO_RUNTIME. */
export function runtimeFor(name: string): Runtime {
  const create = runtimes[name];
  if (!create) {
    throw new ZeroError("ZERO_CONFIG_INVALID", `Unknown runtime "${name}".`, {
      why: "ZERO_RUNTIME (or --runtime / runtime=) names how to run the stack.",
      next: `Use one of: ${Object.keys(runtimes).join(", ")}.`,
    });
  }
  return create();
}
