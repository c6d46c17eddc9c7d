import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../../config/project.js";
import { secretValues } from "../../containers/index.js";
import { composeForRun, writableMountFolders } from "./compose-file.js";
import { controlMountDir } from "./control/control-process.js";

/**
 * Writes this run's compose file and the secret files it mounts; returns the compose file's path. The file holds no
 * secret (passwords are mounted files, other secrets `${ZERO_SECRET_…}` references Compose fills in from the
 * environment zero runs it with); it and its folder are private all the same.
 */
export function writeRunFiles(project: Project, composeVersion: 1 | 2): string {
  const secretsDir = writeSecretFiles(project);
  const dir = join(project.home, "compose");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, "docker-compose.yml");
  // A missing folder would be made by Docker, owned by root with mode 0755: made here, private, it holds keys (https).
  for (const folder of writableMountFolders(project))
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(file, composeForRun(project, secretsDir, controlMountDir(project), composeVersion), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/**
 * One file per secret in <home>/secrets. The folder is private (0700); the files are readable so the
 * container's own user (postgres, redis, node) can read its bind-mounted copy.
 */
export function writeSecretFiles(project: Project): string {
  const dir = join(project.home, "secrets");
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  for (const [name, value] of Object.entries(secretValues(project))) {
    writeFileSync(join(dir, name), value, { mode: 0o644 });
    chmodSync(join(dir, name), 0o644);
  }
  return dir;
}
