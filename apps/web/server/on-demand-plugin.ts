import type { Plugin, ResolvedConfig } from "vite";

type TransformHook = Extract<NonNullable<Plugin["transform"]>, { handler: unknown }>;
type Transform = TransformHook["handler"];
type Context = ThisParameterType<Extract<NonNullable<Plugin["configResolved"]>, (...args: never[]) => unknown>>;

/** What a plugin loaded on demand may have: the wrapper forwards these, and refuses a plugin with anything else. */
const FORWARDED = new Set(["name", "enforce", "apply", "configResolved", "transform"]);

export interface OnDemandOptions {
  name: string;
  enforce?: "pre" | "post";
  /** The module ids whose transform loads the plugins (a superset of their own filters, which still apply). */
  transforms: RegExp;
  /** Imports the real plugins; those whose `apply` names another command are left out. */
  load(config: ResolvedConfig): Promise<Plugin[]>;
}

/**
 * A plugin standing in for plugins that only transform modules, importing them when the first module they may
 * transform arrives rather than when Vite loads its config: the dev server answers its first request without
 * having paid for them. A loaded plugin with any other hook is refused with an error, not run without it.
 */
export function onDemand(options: OnDemandOptions): Plugin {
  let config: ResolvedConfig;
  let context: Context;
  let loading: Promise<Array<{ accepts: (id: string) => boolean; handler: Transform }>> | undefined;
  const load = async () => {
    try {
      return await start(options, config, context);
    } catch (error) {
      loading = undefined; // the next stylesheet tries again; this one reports why
      throw error;
    }
  };
  return {
    name: options.name,
    enforce: options.enforce,
    configResolved(resolved) {
      config = resolved;
      context = this;
    },
    transform: {
      filter: { id: options.transforms },
      async handler(code, id, transformOptions) {
        loading ??= load();
        const [transform] = await loading;
        if (!transform?.accepts(id)) return undefined;
        return transform.handler.call(this, code, id, transformOptions);
      },
    },
  };
}

async function start(options: OnDemandOptions, config: ResolvedConfig, context: Context) {
  const plugins = (await options.load(config)).filter((plugin) => applies(plugin, config, options.name));
  for (const plugin of plugins) {
    const other = Object.keys(plugin).filter((key) => !FORWARDED.has(key));
    if (other.length > 0 || plugin.enforce !== options.enforce)
      throw unsupported(options.name, plugin.name, other.length > 0 ? `its ${other.join(", ")}` : "its enforce");
  }
  for (const plugin of plugins) {
    const hook = plugin.configResolved;
    const run = typeof hook === "function" ? hook : hook?.handler;
    await run?.call(context, config);
  }
  const transforms = plugins.flatMap((plugin) => (plugin.transform ? [{ plugin, hook: plugin.transform }] : []));
  if (transforms.length > 1) throw unsupported(options.name, transforms[1]!.plugin.name, "a second transform");
  return transforms.map(({ plugin, hook }) => {
    if (typeof hook === "function") return { accepts: () => true, handler: hook };
    const other = Object.keys(hook).filter((key) => key !== "filter" && key !== "handler");
    const filter = hook.filter ?? {};
    if (other.length > 0 || Object.keys(filter).some((key) => key !== "id"))
      throw unsupported(options.name, plugin.name, "its transform's order or filter");
    return { accepts: idFilter(filter.id, options.name, plugin.name), handler: hook.handler };
  });
}

function applies(plugin: Plugin, config: ResolvedConfig, wrapper: string): boolean {
  if (plugin.apply === undefined) return true;
  if (typeof plugin.apply === "string") return plugin.apply === config.command;
  throw unsupported(wrapper, plugin.name, "its apply function");
}

type IdFilter = NonNullable<Extract<TransformHook["filter"], object>["id"]>;

/** Rolldown's `id` filter, for the regular expressions a plugin gives (excluded wins, then any included matches). */
function idFilter(filter: IdFilter | undefined, wrapper: string, name: string): (id: string) => boolean {
  if (filter === undefined) return () => true;
  const { include, exclude } =
    typeof filter === "object" && !(filter instanceof RegExp) && !Array.isArray(filter) ? filter : { include: filter };
  const patterns = (value: typeof include) => {
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (list.some((pattern) => !(pattern instanceof RegExp))) throw unsupported(wrapper, name, "a glob in its filter");
    return list as RegExp[];
  };
  const [included, excluded] = [patterns(include), patterns(exclude)];
  return (id) =>
    !excluded.some((pattern) => pattern.test(id)) &&
    (include === undefined || included.some((pattern) => pattern.test(id)));
}

function unsupported(wrapper: string, plugin: string, what: string): Error {
  return new Error(
    `${plugin}, loaded on demand by ${wrapper}, uses ${what}, which apps/web/server/on-demand-plugin.ts does not ` +
      "forward: load that plugin with the config instead (vite.config.ts).",
  );
}
