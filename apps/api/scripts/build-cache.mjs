// The dev runner's last bundle, kept for the next start: when no file it was built from has changed (size and
// modification time), the server starts on it at once and esbuild (loading it, its service, the build: ~0.3 s on the
// critical path of `make dev`) follows a few seconds after the server listens. That first build decides: a bundle
// that differs from the one served (a new file that changes what an import resolves to) restarts the server on it,
// as an edit does. Run from apps/api.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stampOf } from "./file-stamp.mjs";

const CACHE = join(".dev", "build-cache", "server.mjs.cache"); // not *.mjs: the debugger's outFiles skip it
// The build's own recipe: a change to the runner or its options invalidates the kept bundle.
const RECIPE = ["dev.mjs", "server-bundle.mjs", "vendor.mjs"].map((file) =>
  fileURLToPath(new URL(file, import.meta.url)),
);

/**
 * The kept bundle when built with `variant` (vendor folder or none) from files that are all unchanged, with those
 * files (`inputs`, the shape of esbuild's metafile: what the source watch follows until a build runs).
 */
export function readKeptBundle(variant) {
  let text;
  try {
    text = readFileSync(CACHE, "utf8");
  } catch {
    return undefined;
  }
  const newline = text.indexOf("\n");
  let header;
  try {
    header = JSON.parse(text.slice(3, newline));
    if (header.variant !== variant) return undefined;
    const current = fingerprint(Object.keys(header.files));
    if (Object.entries(header.files).some(([file, print]) => current[file] !== print)) return undefined;
  } catch {
    return undefined;
  }
  return { bundle: text.slice(newline + 1), inputs: header.files };
}

/** Keeps a bundle and the files it was built from (esbuild's metafile inputs) for the next start. */
export function keepBundle(variant, bundle, metafile) {
  const inputs = Object.keys(metafile.inputs).filter((input) => !input.includes("node_modules"));
  const header = JSON.stringify({ variant, files: fingerprint([...inputs, ...RECIPE]) });
  const temporary = `${CACHE}.${process.pid}`;
  try {
    mkdirSync(join(".dev", "build-cache"), { recursive: true });
    writeFileSync(temporary, `// ${header}\n${bundle}`);
    renameSync(temporary, CACHE); // whole or not at all, also with two runners at once
  } catch {
    // only the next start's head start is lost
  }
}

/** Each file's size and modification time ("gone" for a missing one). */
function fingerprint(files) {
  return Object.fromEntries(files.map((file) => [file, stampOf(file)]));
}
