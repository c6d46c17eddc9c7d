// What tells a changed source file apart cheaply: its size and modification time, one stat (the kept bundle's check
// in build-cache.mjs, the source watch's poll in source-watch.mjs).
import { statSync } from "node:fs";

/** `size:mtime` of a file, or "gone". */
export function stampOf(file) {
  try {
    const { size, mtimeMs } = statSync(file);
    return `${size}:${mtimeMs}`;
  } catch {
    return "gone";
  }
}
