import { createHash } from "node:crypto";
import type { Project } from "../../config/project.js";
import type { DockerClient } from "../../docker/docker-client.js";
import type { EventSink } from "../../orchestrate/events.js";
import { stackInstanceName } from "../../stack/profiles.js";

/**
 * The Compose project: COMPOSE_PROJECT_NAME if set, else the stack's name and a short hash of the checkout's
 * path (plus the profile when isolated), so two clones never share containers or data volumes.
 */
export function composeProjectName(project: Project): string {
  return (
    project.variables.values.COMPOSE_PROJECT_NAME ||
    `${legacyProjectName(project)}-${createHash("sha256").update(project.root).digest("hex").slice(0, 6)}`
  );
}

/** The name every checkout shared before: its volumes hold the data of users who ran compose then. */
function legacyProjectName(project: Project): string {
  return stackInstanceName(project.stack.name, project.stackFile.profiles, project.profile);
}

/** Points a user whose data sits in the volumes of the old shared project name at it (once they exist, nothing else). */
export async function noteLegacyVolumes(docker: DockerClient, project: Project, name: string, onEvent: EventSink) {
  if (project.variables.values.COMPOSE_PROJECT_NAME) return;
  const legacy = legacyProjectName(project);
  if ((await docker.projectVolumes(name)).length > 0) return;
  const old = await docker.projectVolumes(legacy);
  if (old.length === 0) return;
  onEvent({
    type: "note",
    message: `This checkout's Compose project is now ${name} (unique per checkout). Your earlier data is in the volumes of "${legacy}" (${old.join(", ")}): to keep using it, add COMPOSE_PROJECT_NAME=${legacy} to .env and run make dev again (docs/runtimes.md).`,
  });
}
