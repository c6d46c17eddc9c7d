import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { errorCodes } from "../errors/codes.js";

export interface FileWatcherOptions {
  root: string;
  /** Folders relative to root. */
  roots: string[];
  /** Quiet time that ends a burst. */
  debounceMs: number;
  /** A burst that never goes quiet is still handed on after this long. */
  maxWaitMs: number;
  /** Folders never entered (relative paths), e.g. node_modules. */
  skip: (relativePath: string) => boolean;
  onBurst: (files: string[]) => void;
  onError: (message: string) => void;
}

/**
 * The stack's one file watcher (chokidar: one inotify watch per folder, folders skipped are never entered). Changes
 * are gathered until `debounceMs` pass without one: a `git switch` touching 200 files is one burst.
 */
export function watchFiles(options: FileWatcherOptions): { ready: Promise<void>; close: () => Promise<void> } {
  const changed = new Set<string>();
  let quiet: NodeJS.Timeout | undefined;
  let first: number | undefined;
  const flush = () => {
    clearTimeout(quiet);
    quiet = undefined;
    first = undefined;
    const files = [...changed];
    changed.clear();
    if (files.length > 0) options.onBurst(files);
  };
  const toRelative = (path: string) => relative(options.root, path).split(sep).join("/");
  const watcher: FSWatcher = watch(
    options.roots.map((folder) => `${options.root}/${folder}`),
    {
      ignoreInitial: true,
      ignored: (path) => {
        const inside = toRelative(path);
        return inside !== "" && !inside.startsWith("..") && options.skip(inside);
      },
    },
  );
  watcher.on("all", (_event, path) => {
    changed.add(toRelative(path));
    first ??= Date.now();
    clearTimeout(quiet);
    quiet = setTimeout(flush, Date.now() - first >= options.maxWaitMs ? 0 : options.debounceMs);
  });
  let reported = false;
  watcher.on("error", (error) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (reported && (code === "ENOSPC" || code === "EMFILE")) return; // once is enough
    reported ||= code === "ENOSPC" || code === "EMFILE";
    options.onError(describeWatchError(error as NodeJS.ErrnoException));
  });
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    close: async () => {
      clearTimeout(quiet);
      await watcher.close();
    },
  };
}

/** The inotify limit, with the fix; anything else as it is. */
export function describeWatchError(error: NodeJS.ErrnoException): string {
  if (error.code === "ENOSPC" || error.code === "EMFILE") {
    const limit = readLimit();
    const { next } = errorCodes.ZERO_WATCH_LIMIT;
    return `ZERO_WATCH_LIMIT: cannot watch more folders: the system's limit on inotify watches${limit ? ` (fs.inotify.max_user_watches = ${limit})` : ""} is reached, so some changes are missed. ${next} (docs/troubleshooting.md#zero_watch_limit)`;
  }
  return `watching files failed: ${error.message}`;
}

function readLimit(): string | undefined {
  try {
    return readFileSync("/proc/sys/fs/inotify/max_user_watches", "utf8").trim();
  } catch {
    return undefined;
  }
}
