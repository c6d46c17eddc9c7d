import { ZeroError } from "../../../errors/zero-error.js";
import type { PrepareService } from "./kind.js";
import { prepareProcess } from "./process.js";

/** An image service runs natively only through its `command` (a process fallback); else it is refused. */
export const prepareImage: PrepareService = async (service, context) => {
  if (service.command) return prepareProcess(service, context);
  throw new ZeroError("ZERO_UNSUPPORTED", `${service.name} is a container image (kind image) with no command to run natively.`, {
    why: "The native runtime runs processes on this machine; an image needs a container runtime.",
    next: `Run it with runtime=compose, give services.${service.name} a command to run natively, or set native: skip to leave it out of native runs.`,
  });
};
