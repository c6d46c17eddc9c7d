import { execa } from "execa";
import { diagnose } from "../../errors/tool-failure.js";
import { ZeroError } from "../../errors/zero-error.js";
import { projectContainers } from "./containers.js";
import { docker, type ComposeCommand } from "./docker.js";
import { lastLines } from "./last-lines.js";

/** One Compose project as zero runs it: its name, the file it was created from, the checkout it builds from. */
export interface ComposeProject {
  name: string;
  file: string;
  root: string;
  /** The secrets the file refers to (`${ZERO_SECRET_…}`), by variable: given to Compose's environment, never written. */
  secrets: Record<string, string>;
}

/** `compose up --no-start --build`: builds what changed and creates the containers; the driver starts them in order. */
export async function createContainers(
  compose: ComposeCommand,
  project: ComposeProject,
  mask: (text: string) => string,
): Promise<void> {
  const created = await composeIn(compose, project, ["up", "--no-start", "--build", "--remove-orphans"]);
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

/** `compose down`, plus the containers' unnamed volumes, which only hold what the image put there; `removeData`: the named volumes too. */
export async function removeContainers(
  compose: ComposeCommand,
  project: ComposeProject,
  removeData: boolean,
  mask: (text: string) => string,
): Promise<void> {
  const anonymous = (await projectContainers(project.name)).flatMap((c) => c.anonymousVolumes);
  const result = await composeIn(compose, project, ["down", "--remove-orphans", ...(removeData ? ["--volumes"] : [])]);
  if (anonymous.length > 0) await docker(["volume", "rm", "--force", ...anonymous]);
  if (result.exitCode !== 0) {
    throw new ZeroError("ZERO_SERVICE_FAILED", "Docker Compose could not remove the stack's containers.", {
      details: lastLines(mask(`${result.stderr}\n${result.stdout}`), 20),
      next: `Run \`docker ps -a --filter label=com.docker.compose.project=${project.name}\` to see what is left, then \`make down runtime=compose\` again.`,
    });
  }
}

function composeIn(compose: ComposeCommand, project: ComposeProject, args: string[]) {
  const command = [
    ...compose.args,
    "--project-name",
    project.name,
    "--file",
    project.file,
    "--project-directory",
    project.root,
    ...args,
  ];
  return execa(compose.file, command, {
    reject: false,
    cwd: project.root,
    env: { ...project.secrets, COMPOSE_PROJECT_NAME: project.name },
  });
}
