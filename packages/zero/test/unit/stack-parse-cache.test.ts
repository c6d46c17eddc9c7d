import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCached } from "../../src/stack/parse-cache.js";
import { readStackFile } from "../../src/stack/load.js";

/** A parse that counts its calls: what the cache saves is a call. */
function countingParse(result: (text: string) => unknown = (text) => ({ text })) {
  const parse = (text: string) => {
    parse.calls++;
    return result(text);
  };
  parse.calls = 0;
  return parse;
}

describe("parsed stack files, kept by their text", () => {
  it("parses a text once, gives back an equal copy, and parses a changed text anew", () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-parse-cache-"));
    const parse = countingParse();
    const first = parseCached("name: a", parse, dir) as { text: string };
    const again = parseCached("name: a", parse, dir);
    expect(parse.calls).toBe(1);
    expect(again).toEqual(first);
    expect(again).not.toBe(first); // a fresh object: callers change what they get
    expect(parseCached("name: b", parse, dir)).toEqual({ text: "name: b" });
    expect(parse.calls).toBe(2);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
  });

  it("keeps nothing for a text that fails to parse, nor for a value JSON cannot give back", () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-parse-cache-"));
    const failing = countingParse(() => {
      throw new Error("broken");
    });
    expect(() => parseCached("name: [", failing, dir)).toThrow("broken");
    expect(() => parseCached("name: [", failing, dir)).toThrow("broken");
    expect(failing.calls).toBe(2);
    const infinite = countingParse(() => ({ timeout: Number.POSITIVE_INFINITY }));
    expect(parseCached("timeout: .inf", infinite, dir)).toEqual({ timeout: Number.POSITIVE_INFINITY });
    expect(parseCached("timeout: .inf", infinite, dir)).toEqual({ timeout: Number.POSITIVE_INFINITY });
    expect(infinite.calls).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reads an edited stack.yaml as edited (the cache is keyed by the text, not the file)", () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-stack-"));
    const path = join(dir, "stack.yaml");
    const stack = (name: string) => `name: ${name}\nprofiles:\n  full: { description: everything }\nservices: {}\n`;
    writeFileSync(path, stack("first"));
    expect(readStackFile(path).name).toBe("first");
    writeFileSync(path, stack("second"));
    expect(readStackFile(path).name).toBe("second");
    writeFileSync(path, `${stack("third")}  broken: [\n`);
    expect(() => readStackFile(path)).toThrow(/not a valid stack definition/);
  });
});
