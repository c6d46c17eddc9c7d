import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ZeroError } from "../../errors/zero-error.js";
import { composeTemplate } from "../../runtimes/compose/compose-file.js";
import { readStackFile } from "../../stack/load.js";
import type { Output } from "../output.js";

export const COMPOSE_FILE = "docker-compose.yml";

/** `zero export compose [--check]` (make compose-file): write docker-compose.yml from stack.yaml, or check it is current. */
export function exportFile(out: Output, root: string, format: string | undefined, check: boolean): number {
  if (format !== "compose") throw new ZeroError("ZERO_USAGE", `zero export knows one format, compose; got "${format ?? ""}".`, { next: "Run `zero export compose`." });
  const path = join(root, COMPOSE_FILE);
  const text = composeTemplate(readStackFile(join(root, "stack.yaml")));
  if (!check) {
    writeFileSync(path, text);
    out.line(`Wrote ${COMPOSE_FILE} from stack.yaml.`);
    return 0;
  }
  const current = readFileSync(path, { encoding: "utf8", flag: "a+" });
  if (current === text) {
    out.line(`${COMPOSE_FILE} is up to date with stack.yaml.`);
    return 0;
  }
  out.error(`${COMPOSE_FILE} is out of date with stack.yaml: run \`make compose-file\` and commit the result.`);
  return 1;
}
