import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Plugin, type ViteDevServer } from "vite";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { onDemand } from "../server/on-demand-plugin";

// A real Vite dev server over a tiny app; the plugin loaded on demand is a small real one that marks what it touched.
const root = mkdtempSync(join(tmpdir(), "zero-on-demand-"));
writeFileSync(join(root, "main.js"), "export const answer = 42;\n");
writeFileSync(join(root, "style.css"), "body { color: red; }\n");
writeFileSync(join(root, "other.css"), "p { color: blue; }\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));

let server: ViteDevServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves the app with `plugins` behind the on-demand wrapper, counting how often they are imported. */
async function serve(plugins: () => Plugin[]) {
  const loads = { count: 0 };
  const wrapper = onDemand({
    name: "test-on-demand",
    enforce: "pre",
    transforms: /\.css(?:\?.*)?$/,
    load: async () => {
      loads.count++;
      return plugins();
    },
  });
  server = await createServer({
    root,
    configFile: false,
    logLevel: "silent",
    plugins: [wrapper],
    optimizeDeps: { noDiscovery: true },
    server: { middlewareMode: true, hmr: false, ws: false },
  });
  return { server, loads };
}

/** A plugin that appends a marker to the stylesheets its filter accepts, once its config hook has run. */
function marker(extra: Partial<Plugin> = {}): Plugin[] {
  let command = "";
  return [
    {
      name: "marker:config",
      enforce: "pre",
      configResolved(config) {
        command = config.command;
      },
    },
    {
      name: "marker:serve",
      apply: "serve",
      enforce: "pre",
      transform: {
        filter: { id: { include: [/\.css(?:\?.*)?$/], exclude: [/other\.css/] } },
        handler: (code) => `${code}/* marked while ${command} */`,
      },
    },
    { name: "marker:build", apply: "build", enforce: "pre", transform: () => "/* built */" },
    ...(Object.keys(extra).length > 0 ? [{ name: "marker:extra", enforce: "pre" as const, ...extra }] : []),
  ];
}

describe("a plugin loaded on demand", () => {
  it("is imported with the first module it may transform, once, and runs as if loaded with the config", async () => {
    const { server, loads } = await serve(() => marker());
    await server.transformRequest("/main.js");
    expect(loads.count).toBe(0);
    expect((await server.transformRequest("/style.css?direct"))?.code).toContain("/* marked while serve */");
    expect((await server.transformRequest("/other.css?direct"))?.code).not.toContain("marked"); // its own filter
    expect(loads.count).toBe(1);
  });

  it("is refused, with what to do, when it has a hook the wrapper would not forward", async () => {
    const { server } = await serve(() => marker({ configureServer: () => {} }));
    await expect(server.transformRequest("/style.css?direct")).rejects.toThrow(
      /marker:extra, loaded on demand by test-on-demand, uses its configureServer.*load that plugin with the config/,
    );
  });

  it("is imported again on the next module after an import failed", async () => {
    let fail = true;
    const { server, loads } = await serve(() => {
      if (fail) throw new Error("import failed");
      return marker();
    });
    await expect(server.transformRequest("/style.css?direct")).rejects.toThrow(/import failed/);
    fail = false;
    expect((await server.transformRequest("/other.css?direct"))?.code).toContain("color: blue");
    expect((await server.transformRequest("/style.css?direct"))?.code).toContain("marked");
    expect(loads.count).toBe(2);
  });
});
