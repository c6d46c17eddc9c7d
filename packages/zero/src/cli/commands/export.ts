import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exporterFor } from "../../runtimes/index.js";
import { readStackFile } from "../../stack/load.js";
import type { Output } from "../output.js";

/** `zero export <format> [--check]` (make compose-file): write e.g. docker-compose.yml from stack.yaml, or check it is current. */
export function exportFile(out: Output, root: string, format: string | undefined, check: boolean): number {
  const exporter = exporterFor(format);
  const path = join(root, exporter.file);
  const text = exporter.render(readStackFile(join(root, "stack.yaml")));
  if (!check) {
    writeFileSync(path, text);
    out.line(`Wrote ${exporter.file} from stack.yaml.`);
    return 0;
  }
  const current = readFileSync(path, { encoding: "utf8", flag: "a+" });
  if (current === text) {
    out.line(`${exporter.file} is up to date with stack.yaml.`);
    return 0;
  }
  out.error(`${exporter.file} is out of date with stack.yaml: run \`make compose-file\` and commit the result.`);
  return 1;
}
