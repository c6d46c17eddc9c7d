import type { ComposeProject, DockerClient } from "../../docker/docker-client.js";
import { diagnose } from "../../errors/tool-failure.js";
import { ZeroError } from "../../errors/zero-error.js";
import { projectContainers } from "./containers.js";
import { lastLines } from "./last-lines.js";

/** `compose up --no-start --build`: builds what changed and creates the containers; the driver starts them in order. */
export async function createContainers(
  docker: DockerClient,
  project: ComposeProject,
  mask: (text: string) => string,
): Promise<void> {
  const created = await docker.composeCreate(project);
  if (created.exitCode === 0) return;
  const details = lastLines(mask(`${created.stderr}\n${created.stdout}`), 20);
  const known = diagnose(details); // a full disk, a port taken, a permission: Docker's own words name it
  throw new ZeroError("ZERO_SERVICE_FAILED", "Docker Compose could not build or create the containers.", {
    details,
    why: known?.why,
    next:
      known?.next ??
      "Read the lines above (a failed image build or pull names its step); fix it and run `make dev runtime=compose` again.",
  });
}

/**
 * `compose down`, plus the containers' unnamed volumes, which only hold what the image put there; with `removeData`
 * the named volumes (the data) too.
 */
export async function removeContainers(
  docker: DockerClient,
  project: ComposeProject,
  removeData: boolean,
  mask: (text: string) => string,
): Promise<void> {
  const anonymous = (await projectContainers(docker, project.name)).flatMap((c) => c.anonymousVolumes);
  const result = await docker.composeDown(project, { volumes: removeData });
  if (anonymous.length > 0) await docker.removeVolumes(anonymous);
  if (result.exitCode !== 0) {
    throw new ZeroError("ZERO_SERVICE_FAILED", "Docker Compose could not remove the stack's containers.", {
      details: lastLines(mask(`${result.stderr}\n${result.stdout}`), 20),
      next: `Run \`docker ps -a --filter label=com.docker.compose.project=${project.name}\` to see what is left, then \`make down runtime=compose\` again.`,
    });
  }
}
