import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { currentBranch } from "../../src/stacks/git-branch.js";
import { chooseBlock } from "../../src/stacks/port-block.js";
import {
  liveness,
  readEntries,
  registryDir,
  removeEntry,
  type StackEntry,
  thisProcess,
  writeEntry,
} from "../../src/stacks/registry.js";

// Real files, real processes and real ports; nothing is faked.
describe("the registry of stacks", () => {
  const scratch = mkdtempSync(join(tmpdir(), "zero-registry-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const entry = (home: string, extra: Partial<StackEntry> = {}): StackEntry => ({
    name: "x",
    root: "/x",
    home,
    runtime: "native",
    profile: "full",
    ports: [],
    urls: {},
    startedAt: "",
    state: "running",
    ...extra,
  });

  it("lives in ZERO_STATE_DIR, else XDG_STATE_HOME, else ~/.local/state", () => {
    expect(registryDir({ ZERO_STATE_DIR: "/a", XDG_STATE_HOME: "/b" })).toBe("/a/stacks");
    expect(registryDir({ XDG_STATE_HOME: "/b" })).toBe("/b/zero-to-running/stacks");
    expect(registryDir({ HOME: "/h" })).toMatch(/\.local\/state\/zero-to-running\/stacks$/);
  });

  it("keeps one private file per stack home", () => {
    const dir = join(scratch, "stacks");
    writeEntry(entry("/one"), dir);
    writeEntry(entry("/one", { profile: "backend" }), dir);
    writeEntry(entry("/two"), dir);
    expect(
      readEntries(dir)
        .map((e) => `${e.home} ${e.profile}`)
        .sort(),
    ).toEqual(["/one backend", "/two full"]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    removeEntry("/one", dir);
    expect(readEntries(dir).map((e) => e.home)).toEqual(["/two"]);
  });

  it("is alive only while its owner is the very process recorded (a reused pid is gone)", async () => {
    expect(await liveness(entry("/a", { owner: thisProcess() }))).toBe("running");
    expect(await liveness(entry("/a", { owner: { pid: process.pid, startTime: "1" } }))).toBe("gone");
    // A container stack has no owner: alive while one of its ports is held.
    expect(await liveness(entry("/a", { runtime: "compose", ports: [1] }))).toBe("gone");
  });
});

describe("a checkout's own block of ports", () => {
  it("is the same for one folder, consecutive, and avoids ports another stack claimed", async () => {
    const first = await chooseBlock("/src/review", ["A", "B", "C"], new Set());
    expect(await chooseBlock("/src/review", ["A", "B", "C"], new Set())).toEqual(first);
    expect([first.B! - first.A!, first.C! - first.A!]).toEqual([1, 2]);
    const moved = await chooseBlock("/src/review", ["A", "B", "C"], new Set([first.B!]));
    expect(moved.A).not.toBe(first.A);
  });
});

describe("the checkout's branch", () => {
  it("is read from HEAD, following a worktree's .git file", () => {
    const root = mkdtempSync(join(tmpdir(), "zero-branch-"));
    try {
      mkdirSync(join(root, "gitdir"));
      writeFileSync(join(root, "gitdir", "HEAD"), "ref: refs/heads/feature/x\n");
      writeFileSync(join(root, ".git"), "gitdir: gitdir\n");
      expect(currentBranch(root)).toBe("feature/x");
      writeFileSync(join(root, "gitdir", "HEAD"), "0123456789abcdef\n");
      expect(currentBranch(root)).toBe("0123456");
      expect(currentBranch(join(root, "gitdir"))).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
