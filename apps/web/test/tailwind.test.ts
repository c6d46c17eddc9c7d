import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const web = join(import.meta.dirname, "..");
const fromWeb = createRequire(join(web, "package.json"));
const viteUrl = pathToFileURL(fromWeb.resolve("vite")).href;
const tailwindUrl = pathToFileURL(fromWeb.resolve("@tailwindcss/vite")).href;
const dir = mkdtempSync(join(tmpdir(), "zero-tailwind-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Tailwind's loader tags what a module loaded as `?id=N` imports with the same query; without it the query stays put.
writeFileSync(join(dir, "a.mjs"), 'export { url } from "./b.mjs";\n');
writeFileSync(join(dir, "b.mjs"), "export const url = import.meta.url;\n");
const probe = `const { url } = await import(${JSON.stringify(pathToFileURL(join(dir, "a.mjs")).href)} + "?id=7");`;

/** Runs an ES module in a fresh Node process from the web app's folder (as the dev server runs) and returns its JSON. */
function run(name: string, program: string): Record<string, unknown> {
  const file = join(dir, name);
  writeFileSync(file, program);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: web, encoding: "utf8" }));
}

describe("Tailwind in the dev server", () => {
  it("turns the app's CSS into utilities with the app's own config", () => {
    const { css } = run(
      "serve.mjs",
      `const { createServer } = await import(${JSON.stringify(viteUrl)});
       const server = await createServer({ logLevel: "silent", server: { middlewareMode: true, hmr: false, ws: false } });
       const result = await server.transformRequest("/src/index.css");
       await server.close();
       console.log(JSON.stringify({ css: result.code }));`,
    );
    expect(css).toContain("display: flex"); // a class the components use, generated from their sources
  });

  // Node >= 22.15 runs the hook on the main thread (registerHooks); the config has nothing to skip there.
  it.skipIf("registerHooks" in module)("starts no module loader thread on Node 20, as Tailwind alone does", () => {
    const alone = run(
      "alone.mjs",
      `await import(${JSON.stringify(tailwindUrl)}); ${probe} console.log(JSON.stringify({ url }));`,
    );
    expect(alone.url).toMatch(/b\.mjs\?id=7$/);
    // Tailwind loads with the first stylesheet (server/tailwind.ts): transform one, then look for the loader.
    const ours = run(
      "ours.mjs",
      `const { createServer } = await import(${JSON.stringify(viteUrl)});
       const server = await createServer({ logLevel: "silent", server: { middlewareMode: true, hmr: false, ws: false } });
       const { code } = await server.transformRequest("/src/index.css");
       await server.close();
       ${probe} console.log(JSON.stringify({ url, generated: code.includes("display: flex") }));`,
    );
    expect(ours.generated).toBe(true);
    expect(ours.url).toMatch(/b\.mjs$/);
  });
});
