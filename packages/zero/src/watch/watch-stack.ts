import { relative } from "node:path";
import { restartFollowers, startOrder } from "../stack/graph.js";
import type { Service } from "../stack/schema.js";
import { watchFiles } from "./file-watcher.js";
import { ReloadQueue } from "./reload-queue.js";
import { ALWAYS_IGNORED, WatchRules, type ReloadRequest } from "./rules.js";
import picomatch from "picomatch";

/** Quiet time that ends a burst of changes (an editor's save writes several times; a git switch many files). */
export const WATCH_DEBOUNCE_MS = 300;
const WATCH_MAX_WAIT_MS = 2_000;

export interface StackWatch {
  /** Resolves once every watched folder is watched. */
  ready: Promise<void>;
  /** Stops watching and waits for reloads in progress. */
  close: () => Promise<void>;
}

export interface StackWatchOptions {
  root: string;
  /** zero's home (logs, state): never watched, wherever it is. */
  home: string;
  services: Service[];
  /** Runs one service's reload; never called twice at once for a service. */
  reload: (request: ReloadRequest) => Promise<void>;
  onProblem: (message: string) => void;
}

/** The stack's watch rules, for any runtime: one watcher, debounced bursts, one queue per service. */
export function watchStack(options: StackWatchOptions): StackWatch {
  const rules = new WatchRules(options.services);
  if (rules.empty) return { ready: Promise.resolve(), close: async () => {} };
  const queue = new ReloadQueue(options.reload);
  const home = relative(options.root, options.home).split("\\").join("/");
  const skipped = picomatch(
    ALWAYS_IGNORED.map((glob) => glob.replace(/\/\*\*$/, "")),
    { dot: true },
  );
  const watcher = watchFiles({
    root: options.root,
    roots: rules.roots(),
    debounceMs: WATCH_DEBOUNCE_MS,
    maxWaitMs: WATCH_MAX_WAIT_MS,
    skip: (path) =>
      skipped(path) || (home !== "" && !home.startsWith("..") && (path === home || path.startsWith(`${home}/`))),
    onBurst: (files) => {
      // A service that follows another one of the burst (depends_on restart: true) waits for it: that restart
      // restarts it too, and its own request then finds it already restarted (one restart, not two).
      const requests = rules.requests(files);
      const ran = new Map<string, Promise<void>>();
      const services = Object.fromEntries(options.services.map((service) => [service.name, service]));
      for (const service of startOrder(services)) {
        const request = requests.find((r) => r.service === service.name);
        if (!request) continue;
        const leaders = requests.filter(
          (r) => r.action !== "sync" && restartFollowers(services, [r.service]).some((f) => f.name === service.name),
        );
        const after = Promise.all(leaders.map((leader) => ran.get(leader.service)));
        ran.set(
          service.name,
          after.then(() => queue.add(request)),
        );
      }
    },
    onError: options.onProblem,
  });
  return {
    ready: watcher.ready,
    close: async () => {
      await watcher.close();
      await queue.idle();
    },
  };
}

/** "apps/worker/src/a.ts" or "3 files (apps/worker/src/a.ts, src/b.ts, …)" for a log line. */
export function describeFiles(files: string[]): string {
  if (files.length === 1) return files[0]!;
  const shown = files.slice(0, 3).join(", ");
  return `${files.length} files (${shown}${files.length > 3 ? ", …" : ""})`;
}
