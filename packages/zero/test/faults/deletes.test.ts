import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultStack } from "./fault-stack.js";

// Fault: a link in .zero/data that claims to lead into zero's system folder but climbs out of it with `..`.
// Real CLI, real files; no stack needs to run (`down volumes=1` deletes data whether or not anything runs).

describe.sequential("faults: a data link that climbs out of the project's data places", () => {
  let stack: Awaited<ReturnType<typeof faultStack>>;
  const scratch = mkdtempSync(join(tmpdir(), "zero-deletes-"));
  const system = join(scratch, "zero-to-running"); // stands for /var/lib/zero-to-running
  const outside = join(scratch, "someone-elses");

  beforeAll(async () => {
    stack = await faultStack("db", { ZERO_SYSTEM_DATA: system });
    mkdirSync(join(system, "projects"), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, "precious"), "not zero's");
    mkdirSync(join(stack.home, "data"), { recursive: true });
    // Starts with <system>/projects/, as zero's own links do, then climbs out to a sibling folder.
    symlinkSync(join(system, "projects") + "/../../someone-elses", join(stack.home, "data", "postgres"));
  });
  afterAll(async () => {
    await stack.cleanUp();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("guarantee: make down volumes=1 refuses (ZERO_DELETE_REFUSED, naming the real path) and deletes nothing outside", async () => {
    const down = await stack.zero("down", "--volumes", "--yes");
    expect(existsSync(join(outside, "precious"))).toBe(true);
    expect(down.exitCode, down.all).not.toBe(0);
    expect(down.all).toContain("ZERO_DELETE_REFUSED");
    expect(down.all).toContain(outside);
  });
});
