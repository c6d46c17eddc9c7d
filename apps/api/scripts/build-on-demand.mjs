// The dev runner's esbuild, running only while it has work: its service (a Go process) held ~19 MB from the start's
// build on, for the life of the stack, while most stacks run for hours without an edit. The runner builds once at its
// start and then stops the service (`release`); the first saved file starts it again, and it stays for the
// incremental rebuilds that follow (docs/performance.md, "sixth round: memory"). While it runs it is in watch mode:
// its own polling sees a fix to a failed build wherever it is, also in a folder no good build has read yet.
import { createRequire } from "node:module";

let esbuild;
// Loaded at the first build (after the server listens, on a start from the kept bundle), and required, not imported:
// esbuild's API is CommonJS, and an import first scans its source for export names (~40 ms).
const loadEsbuild = () => (esbuild ??= createRequire(import.meta.url)("esbuild"));

/**
 * `rebuild()` builds with `options`, starting esbuild's service (in watch mode) when it is not running;
 * `release()` stops the service unless the last build failed (its watch waits for the fix); `dispose()` stops it.
 */
export function buildOnDemand(options) {
  let context;
  let failed = false;
  let buildEnded; // resolves when the build in progress has ended (its onEnd callbacks included)
  const endOfBuild = {
    name: "end-of-build",
    setup(build) {
      build.onEnd((result) => {
        failed = result.errors.length > 0;
        buildEnded?.();
      });
    },
  };
  const withEnd = { ...options, plugins: [...(options.plugins ?? []), endOfBuild] };

  // One step at a time, in the order asked: a stop never cuts a build short, a build after a stop starts anew.
  let queue = Promise.resolve();
  const inTurn = (step) => {
    const result = queue.then(step);
    queue = result.catch(() => {});
    return result;
  };

  async function start() {
    context = await loadEsbuild().context(withEnd);
    const ended = new Promise((resolve) => (buildEnded = resolve));
    await context.watch(); // its first build starts now
    await ended;
    if (failed) throw new Error("the build failed"); // as a failed rebuild: esbuild printed the errors
  }

  async function stop() {
    if (!context) return;
    await context.dispose();
    context = undefined;
    await esbuild.stop(); // the service exits; the next build starts a new one
  }

  return {
    rebuild: () => inTurn(() => (context ? context.rebuild() : start())),
    release: () => inTurn(() => (failed ? undefined : stop())),
    dispose: () => inTurn(stop),
  };
}
