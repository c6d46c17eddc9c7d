import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Service } from "../../../stack/schema.js";
import { prepareCommand } from "./command.js";

const context = { root: process.cwd(), home: process.cwd(), note: () => {}, signal: new AbortController().signal };
const service = (kind: string, env: Record<string, string> = {}) =>
  ({ name: "app", kind, command: ["node", "app.js"], env }) as unknown as Service;

/** The young generation's size once a program has allocated enough to grow it, under the launch's NODE_OPTIONS. */
function newSpaceMb(env: NodeJS.ProcessEnv): number {
  const program =
    "const a=[];for(let i=0;i<2e6;i++)a.push({i});" +
    "console.log(require('v8').getHeapSpaceStatistics().find((s)=>s.space_name==='new_space').space_size/1048576)";
  return Number(execFileSync(process.execPath, ["-e", program], { env, encoding: "utf8" }));
}

/** How many memory regions a process that has used Rolldown (mimalloc) advised for transparent huge pages. */
function hugePageRegions(env: NodeJS.ProcessEnv): number {
  const program =
    "const r = await import('rolldown/parseAst'); r.parseAst('let a = 1');" +
    "const maps = (await import('node:fs')).readFileSync('/proc/self/smaps', 'utf8');" +
    "console.log(maps.match(/^VmFlags:.*\\bhg\\b/gm)?.length ?? 0)";
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", program], { env, encoding: "utf8" }));
}

const smallYoungGeneration = Number(process.versions.node.split(".")[0]) >= 22;

describe("the command driver's defaults for Node processes", () => {
  it.runIf(smallYoungGeneration)(
    "runs a node-kind service with a small young generation (Node 22 and later)",
    async () => {
      const spec = await prepareCommand(service("node"), context);
      expect(spec.env?.NODE_OPTIONS).toBe("--max-semi-space-size=1");
      expect(newSpaceMb(spec.env!)).toBeLessThanOrEqual(2);
    },
  );

  it.runIf(!smallYoungGeneration)("leaves a node-kind service's young generation to V8 on Node 20", async () => {
    const spec = await prepareCommand(service("node"), context);
    expect(spec.env?.NODE_OPTIONS).toBe(process.env.NODE_OPTIONS);
    expect(newSpaceMb(spec.env!)).toBeGreaterThan(2);
  });

  it("puts the user's NODE_OPTIONS last, so that theirs win", async () => {
    const spec = await prepareCommand(service("node", { NODE_OPTIONS: "--max-semi-space-size=16" }), context);
    expect(spec.env?.NODE_OPTIONS).toBe(
      `${smallYoungGeneration ? "--max-semi-space-size=1 " : ""}--max-semi-space-size=16`,
    );
    expect(newSpaceMb(spec.env!)).toBeGreaterThan(2);
  });

  it("has Rolldown's allocator return freed pages at once, unless the service says otherwise", async () => {
    expect((await prepareCommand(service("node"), context)).env?.MIMALLOC_PURGE_DELAY).toBe("0");
    const own = await prepareCommand(service("node", { MIMALLOC_PURGE_DELAY: "10" }), context);
    expect(own.env?.MIMALLOC_PURGE_DELAY).toBe("10");
  });

  it("keeps Rolldown's allocator off transparent huge pages, unless the service says otherwise", async () => {
    const spec = await prepareCommand(service("node"), context);
    expect(spec.env?.MIMALLOC_ALLOW_THP).toBe("0");
    const own = await prepareCommand(service("node", { MIMALLOC_ALLOW_THP: "1" }), context);
    expect(own.env?.MIMALLOC_ALLOW_THP).toBe("1");
    // Where the kernel offers them, mimalloc advises its arena for huge pages (VmFlags "hg") unless told not to.
    const thp = "/sys/kernel/mm/transparent_hugepage/enabled";
    if (!existsSync(thp) || readFileSync(thp, "utf8").includes("[never]")) return;
    expect(hugePageRegions({ ...spec.env, MIMALLOC_ALLOW_THP: "1" })).toBeGreaterThan(0);
    expect(hugePageRegions(spec.env!)).toBe(0);
  });

  it("leaves other kinds' NODE_OPTIONS alone", async () => {
    const spec = await prepareCommand(service("process", { NODE_OPTIONS: "--no-warnings" }), context);
    expect(spec.env?.NODE_OPTIONS).toBe("--no-warnings");
    expect(spec.env?.MIMALLOC_PURGE_DELAY).toBeUndefined();
    expect(spec.env?.MIMALLOC_ALLOW_THP).toBeUndefined();
  });
});
