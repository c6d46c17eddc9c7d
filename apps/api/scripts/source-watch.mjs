// Notices a saved source file at once and asks the dev runner for a rebuild. esbuild's watch mode polls (a round of
// checks every 100 ms), so an edit waited ~50 ms on average before its rebuild began; the kernel's file events
// (fs.watch on each folder the last build read) come within a millisecond. esbuild's service does not run between
// the start and the first edit (scripts/build-on-demand.mjs), so a slow poll of the same files (size and modification
// time, once a second) stands in for its polling on file systems that send no events (some container mounts).
import { watch } from "node:fs";
import { dirname, resolve } from "node:path";
import { stampOf } from "./file-stamp.mjs";

// A save is often a truncation then a write: one rebuild after both, not one of an empty file.
const SETTLE_MS = 15;
const POLL_MS = 1_000;
const SOURCE = /\.([cm]?[jt]sx?|json)$/;

/** `rebuild()` runs after a burst of changes, one at a time; `follow(metafile)` after each build; `close()`. */
export function watchSources(rebuild) {
  const watchers = new Map();
  const seen = new Map();
  let timer;
  let running = false;
  let again = false;

  async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        // What this build reads, as of now: a change from here on is one for the poll to find.
        for (const file of seen.keys()) seen.set(file, stampOf(file));
        await rebuild();
      } while (again);
    } catch {
      // esbuild reported it; the next change tries again
    } finally {
      running = false;
    }
  }

  function changed(_event, name) {
    if (name && !SOURCE.test(name)) return; // an editor's swap or backup file
    clearTimeout(timer);
    timer = setTimeout(() => void run(), SETTLE_MS);
  }

  // Each input's size and modification time when last built or polled: a change asks for one rebuild.
  const poll = setInterval(() => {
    let found = false;
    for (const [file, print] of seen) {
      const now = stampOf(file);
      if (now === print) continue;
      seen.set(file, now);
      found = true;
    }
    if (found) changed();
  }, POLL_MS);
  poll.unref();

  return {
    /** Watches exactly the folders of the build's inputs (new imports bring new folders), and polls the inputs. */
    follow(metafile) {
      const inputs = Object.keys(metafile.inputs)
        .filter((input) => !input.includes("node_modules"))
        .map((input) => resolve(input));
      const current = new Set(inputs);
      for (const file of seen.keys()) if (!current.has(file)) seen.delete(file);
      for (const file of inputs) if (!seen.has(file)) seen.set(file, stampOf(file));
      const folders = new Set(inputs.map((input) => dirname(input)));
      for (const [folder, watcher] of watchers) {
        if (folders.has(folder)) continue;
        watcher.close();
        watchers.delete(folder);
      }
      for (const folder of folders) {
        if (watchers.has(folder)) continue;
        try {
          const watcher = watch(folder, { persistent: false }, changed);
          watcher.on("error", () => {
            watcher.close();
            watchers.delete(folder);
          });
          watchers.set(folder, watcher);
        } catch {
          // gone or unwatchable: the poll still sees its files
        }
      }
    },
    close() {
      clearTimeout(timer);
      clearInterval(poll);
      seen.clear();
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
