import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LogFile, rotateIfFull, tailLines } from "../../src/runtimes/native/supervisor/log-file.js";

describe("log files are size-bounded", () => {
  const dirs: string[] = [];
  const tempLog = () => {
    const dir = mkdtempSync(join(tmpdir(), "zero-log-"));
    dirs.push(dir);
    return join(dir, "api.log");
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("rotates a service log to <name>.1 at the limit, keeps one generation, and masks before writing", async () => {
    const path = tempLog();
    const log = new LogFile(path, (text) => text.replaceAll("s3cret", "****"), 1_000);
    for (let i = 0; i < 100; i++) log.write("2026-11-24T00:00:00.000Z", `line ${i} password=s3cret`);
    await log.close();
    expect(statSync(path).size).toBeLessThanOrEqual(1_000);
    expect(statSync(`${path}.1`).size).toBeLessThanOrEqual(1_000);
    expect(existsSync(`${path}.2`)).toBe(false);
    const text = readFileSync(path, "utf8") + readFileSync(`${path}.1`, "utf8");
    expect(text).not.toContain("s3cret");
    expect(await tailLines(path, 1)).toEqual(["2026-11-24T00:00:00.000Z line 99 password=****"]);
  });

  it("rotates the supervisor's own log before it is opened again, only once it is full", () => {
    const path = tempLog();
    writeFileSync(path, "x".repeat(500));
    rotateIfFull(path, 1_000);
    expect(existsSync(`${path}.1`)).toBe(false);
    writeFileSync(path, "y".repeat(1_000));
    rotateIfFull(path, 1_000);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.1`, "utf8")).toBe("y".repeat(1_000));
    rotateIfFull(path, 1_000); // nothing there yet: no error
  });
});
