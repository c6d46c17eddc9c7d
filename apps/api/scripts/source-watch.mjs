// Notices a saved source file at once and asks the dev runner for a rebuild. esbuild's watch mode polls (a round of
// checks every 100 ms), so an edit waited ~50 ms on average before its rebuild began; the kernel's file events
// (fs.watch on each folder the last build read) come within a millisecond. esbuild's polling stays on beside it,
// for file systems that send no events (some container mounts).
import { watch } from "node:fs";
import { dirname, resolve } from "node:path";

// A save is often a truncation then a write: one rebuild after both, not one of an empty file.
const SETTLE_MS = 15;
const SOURCE = /\.([cm]?[jt]sx?|json)$/;

/** `rebuild()` runs after a burst of changes, one at a time; `follow(metafile)` after each build; `close()`. */
export function watchSources(rebuild) {
  const watchers = new Map();
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

  return {
    /** Watches exactly the folders of the build's inputs (new imports bring new folders). */
    follow(metafile) {
      const folders = new Set(
        Object.keys(metafile.inputs)
          .filter((input) => !input.includes("node_modules"))
          .map((input) => resolve(dirname(input))),
      );
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
          // gone or unwatchable: esbuild's polling still sees it
        }
      }
    },
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
