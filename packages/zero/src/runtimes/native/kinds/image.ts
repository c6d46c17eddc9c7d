import type { Project } from "../../../config/project.js";
import { ZeroError } from "../../../errors/zero-error.js";
import type { EventSink } from "../../../orchestrate/events.js";
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

/** The project without the image services marked `native: skip` (and without dependencies on them). */
export function withoutSkipped(project: Project, onEvent: EventSink): Project {
  const skipped = Object.values(project.stack.services).filter((s) => s.kind === "image" && !s.command && s.native === "skip");
  if (skipped.length === 0) return project;
  const names = new Set(skipped.map((s) => s.name));
  for (const name of names) onEvent({ type: "note", message: `${name}: runs only in containers (native: skip), left out of this native run.` });
  const services = Object.fromEntries(
    Object.values(project.stack.services)
      .filter((s) => !names.has(s.name))
      .map((s) => [s.name, { ...s, depends_on: Object.fromEntries(Object.entries(s.depends_on).filter(([name]) => !names.has(name))) }]),
  );
  return { ...project, stack: { ...project.stack, services } };
}
