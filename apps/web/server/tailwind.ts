import module from "node:module";
import type { PluginOption } from "vite";

// The loader @tailwindcss/node registers (its package export "./esm-cache-loader").
const TAILWIND_LOADER = /@tailwindcss[/\\]node[/\\].*esm-cache/;

/**
 * Tailwind's Vite plugin, without the module loader thread it starts on Node < 22.15. There @tailwindcss/node calls
 * `module.register` when loaded: Node then runs a second V8 isolate for the life of the dev server (~10 MB, and every
 * later import resolves through it) so that a reloaded `@plugin`/`@config` JavaScript file also reloads what it
 * imports. This app's CSS has neither. Newer Node registers the hook on the main thread: nothing to skip there.
 */
export async function tailwind(): Promise<PluginOption> {
  if ("registerHooks" in module) return (await import("@tailwindcss/vite")).default();
  const register = module.register;
  module.register = (...args: unknown[]) => {
    if (!TAILWIND_LOADER.test(String(args[0]))) Reflect.apply(register, module, args);
  };
  module.syncBuiltinESMExports(); // `import * as module from "module"` reads these bindings, not the object
  try {
    return (await import("@tailwindcss/vite")).default();
  } finally {
    module.register = register;
    module.syncBuiltinESMExports();
  }
}
