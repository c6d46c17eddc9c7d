import type { Project } from "../../config/project.js";
import { kindOf } from "../../kinds/index.js";
import type { EventSink } from "../../orchestrate/events.js";

/** The project without the services marked `native: skip` that have no command (and without dependencies on them). */
export function withoutSkipped(project: Project, onEvent: EventSink): Project {
  const skipped = Object.values(project.stack.services).filter(
    (s) => kindOf(s).native.skippable && !s.command && s.native === "skip",
  );
  if (skipped.length === 0) return project;
  const names = new Set(skipped.map((s) => s.name));
  for (const name of names)
    onEvent({ type: "note", message: `${name}: runs only in containers (native: skip), left out of this native run.` });
  const services = Object.fromEntries(
    Object.values(project.stack.services)
      .filter((s) => !names.has(s.name))
      .map((s) => [
        s.name,
        { ...s, depends_on: Object.fromEntries(Object.entries(s.depends_on).filter(([name]) => !names.has(name))) },
      ]),
  );
  return { ...project, stack: { ...project.stack, services } };
}
