import module from "node:module";
import type { Plugin, ResolvedConfig } from "vite";
import { onDemand } from "./on-demand-plugin";

// The loader @tailwindcss/node registers (its package export "./esm-cache-loader").
const TAILWIND_LOADER = /@tailwindcss[/\\]node[/\\].*esm-cache/;
// The modules Tailwind's plugin transforms (its own filter, checked again once loaded): stylesheets.
const STYLESHEET = /\.css(?:\?.*)?$|&lang\.css/;

/**
 * Tailwind's Vite plugin, imported on the first stylesheet the dev server transforms rather than with the config:
 * its import (Tailwind's compiler, Lightning CSS, jiti, the oxide scanner) is ~180 ms of CPU before Vite could
 * answer its first request, beside the API starting on the other core (docs/performance.md).
 */
export function tailwind(): Plugin {
  return onDemand({ name: "zero-tailwind", enforce: "pre", transforms: STYLESHEET, load: importTailwind });
}

async function importTailwind(config: ResolvedConfig): Promise<Plugin[]> {
  const { default: tailwindcss } = await importWithoutLoaderThread(() => import("@tailwindcss/vite"));
  return [tailwindcss()].flat().filter((plugin) => plugin.apply === undefined || plugin.apply === config.command);
}

/**
 * Imports Tailwind without the module loader thread it starts on Node < 22.15. There @tailwindcss/node calls
 * `module.register` when loaded: Node then runs a second V8 isolate for the life of the dev server (~10 MB, and every
 * later import resolves through it) so that a reloaded `@plugin`/`@config` JavaScript file also reloads what it
 * imports. This app's CSS has neither. Newer Node registers the hook on the main thread: nothing to skip there.
 */
async function importWithoutLoaderThread<T>(load: () => Promise<T>): Promise<T> {
  if ("registerHooks" in module) return load();
  const register = module.register;
  module.register = (...args: unknown[]) => {
    if (!TAILWIND_LOADER.test(String(args[0]))) Reflect.apply(register, module, args);
  };
  module.syncBuiltinESMExports(); // `import * as module from "module"` reads these bindings, not the object
  try {
    return await load();
  } finally {
    module.register = register;
    module.syncBuiltinESMExports();
  }
}
