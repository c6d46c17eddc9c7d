import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_ENTRIES, requireWithCodeCache } from "../../src/processes/code-cache.js";

// Node >= 22.1 keeps compiled code itself (module.enableCompileCache): the bundle is required and nothing is written.
const nodeCompileCache = Boolean((module as { enableCompileCache?: unknown }).enableCompileCache);

const SOURCE = "exports.answer = (x) => x * 2; exports.file = __filename; exports.dir = __dirname;";

/**
 * A CommonJS bundle, and a cache folder (not yet made). Each load below runs a copy of it from a folder of its own, as
 * another process would: V8 keeps a script compiled in this process by its source and file name and would answer
 * from that instead of from the kept code.
 */
function bundle() {
  const dir = join(mkdtempSync(join(tmpdir(), "zero-code-cache-")), "cache");
  return { file: () => copyOf(SOURCE), dir };
}

function copyOf(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "zero-code-cache-bundle-")), "bundle.cjs");
  writeFileSync(file, source);
  return file;
}

const now = (keep: () => void) => keep();

/** A keepAt that notes whether the code was wanted (none kept, or V8 refused it), and writes it if `write`. */
function wants(write = false) {
  const asked = {
    wanted: false,
    keepAt: (keep: () => void) => {
      asked.wanted = true;
      if (write) keep();
    },
  };
  return asked;
}
const kept = (dir: string) => readdirSync(dir).map((name) => join(dir, name));

type Bundle = { answer: (x: number) => number; file: string; dir: string };
const load = (file: string, options: Parameters<typeof requireWithCodeCache>[1]) =>
  requireWithCodeCache(file, options) as Bundle;

describe("a CommonJS bundle run through the code cache", () => {
  it("returns what the bundle exports, with its own file name, on every Node version", () => {
    const { file, dir } = bundle();
    const path = file();
    const loaded = load(path, { dir, keepAt: now });
    expect(loaded.answer(4)).toBe(8);
    expect(loaded.file).toBe(path);
    expect(loaded.dir).toBe(dirname(path));
  });
});

describe.skipIf(nodeCompileCache)("V8's code for a CommonJS bundle, kept between runs (Node < 22.1)", () => {
  it("runs the bundle, keeps its code privately, and loads it back without writing it again", () => {
    const { file, dir } = bundle();
    const path = file();
    const first = load(path, { dir, keepAt: now });
    expect(first.answer(21)).toBe(42);
    expect(first.file).toBe(path);
    const [code] = kept(dir);
    expect(code).toMatch(/bundle\.cjs\.[0-9a-f]{16}$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(code!).mode & 0o777).toBe(0o600);
    const written = readFileSync(code!);
    const again = wants();
    expect(load(file(), { dir, keepAt: again.keepAt }).answer(2)).toBe(4);
    expect(again.wanted).toBe(false); // V8 accepted the kept code
    expect(readFileSync(code!)).toEqual(written);
  });

  it("writes the code anew when V8 rejects what was kept, and keeps each build's code under its own name", () => {
    const { file, dir } = bundle();
    load(file(), { dir, keepAt: now });
    const [code] = kept(dir);
    writeFileSync(code!, "not V8's code");
    expect(load(file(), { dir, keepAt: now }).answer(1)).toBe(2);
    expect(readFileSync(code!, "utf8")).not.toBe("not V8's code");
    // Another build (a second checkout at another commit): its own entry, and the first one's stays usable.
    expect(load(copyOf("exports.answer = (x) => x * 3;"), { dir, keepAt: now }).answer(1)).toBe(3);
    expect(kept(dir)).toHaveLength(2);
    const again = wants();
    load(file(), { dir, keepAt: again.keepAt });
    expect(again.wanted).toBe(false);
  });

  it("starts afresh past MAX_ENTRIES builds", () => {
    const { file, dir } = bundle();
    mkdirSync(dir, { mode: 0o700 });
    for (let i = 0; i < MAX_ENTRIES; i++) writeFileSync(join(dir, `bundle.cjs.old${i}`), "");
    load(file(), { dir, keepAt: now });
    expect(kept(dir)).toHaveLength(1);
  });

  it("neither reads nor writes code in a folder other users can write: it would run as this user", () => {
    const { file, dir } = bundle();
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const first = wants(true);
    load(file(), { dir, keepAt: first.keepAt });
    expect(first.wanted).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    // Good code in that folder (kept while it was private) is not loaded once others can write there.
    chmodSync(dir, 0o700);
    load(file(), { dir, keepAt: now });
    chmodSync(dir, 0o777);
    const open = wants();
    expect(load(file(), { dir, keepAt: open.keepAt }).answer(5)).toBe(10);
    expect(open.wanted).toBe(true);
  });

  it("does not load kept code that other users can write", () => {
    const { file, dir } = bundle();
    load(file(), { dir, keepAt: now });
    chmodSync(kept(dir)[0]!, 0o666);
    const again = wants();
    load(file(), { dir, keepAt: again.keepAt });
    expect(again.wanted).toBe(true);
  });
});
