import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { exporterFor } from "../../runtimes/index.js";
import { readStackFile } from "../../stack/load.js";
import type { Output } from "../output.js";

/** `zero export <format> [--check]` (make compose-file, make k8s-files): write generated files from stack.yaml, or check they are current. */
export async function exportFile(out: Output, root: string, name: string | undefined, check: boolean): Promise<number> {
  const format = await exporterFor(name);
  const files = await format.files(readStackFile(join(root, "stack.yaml")));
  const wanted = new Set(files.map((f) => f.path));
  // Files in the format's folder that it no longer writes (a removed service's manifest) are stale too.
  const stale = format.folder ? listFiles(join(root, format.folder)).map((path) => relative(root, path)).filter((path) => !wanted.has(path)) : [];
  if (!check) {
    for (const file of files) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.text);
    }
    for (const path of stale) rmSync(join(root, path));
    out.line(`Wrote ${format.description} from stack.yaml (${files.length} file${files.length === 1 ? "" : "s"}).`);
    return 0;
  }
  const outdated = files.filter((f) => readFileSync(join(root, f.path), { encoding: "utf8", flag: "a+" }) !== f.text).map((f) => f.path);
  if (outdated.length + stale.length === 0) {
    out.line(`${format.description} is up to date with stack.yaml.`);
    return 0;
  }
  out.error(`${format.description} is out of date with stack.yaml (${[...outdated, ...stale].join(", ")}): run \`${format.make}\` and commit the result.`);
  return 1;
}

/** Every file under a folder, git-ignored secret files excepted (they are the user's, not generated). */
function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !(/\/secrets\/[^/]+$/.test(path) && !path.endsWith("/.gitignore")));
}
