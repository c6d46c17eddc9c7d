import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, repoRoot, runZero, waitFor } from "../helpers/cli.js";
import { freshClone } from "../helpers/newcomer.js";

const PORTS = ["POSTGRES_PORT", "API_PORT", "API_DEBUG_PORT"];

/**
 * Two checkouts of one repository (a clone and a `git worktree` of it), each with plain `zero up`: both run at once,
 * on distinct ports, listed by `zero stacks`. Both start with the same ports in .env (as two checkouts share the
 * defaults), at the same moment. The minimal profile (PostgreSQL and the API) keeps it lean.
 */
describe.sequential("parallel stacks of two worktrees", () => {
  const scratch = mkdtempSync(join(tmpdir(), "zero-worktrees-"));
  const a = join(scratch, "main-checkout");
  const b = join(scratch, "review-checkout");
  const env = { ZERO_STATE_DIR: join(scratch, "state"), ZERO_PROFILE: "minimal" };
  const zero = (cwd: string, ...args: string[]) => runZero(args, { cwd, env });
  const envFile = (root: string) => readFileSync(join(root, ".env"), "utf8");
  const portOf = (root: string, name: string) => Number(new RegExp(`^${name}=(\\d+)`, "m").exec(envFile(root))?.[1]);
  const ready = async (root: string) =>
    (await fetch(`http://127.0.0.1:${portOf(root, "API_PORT")}/health/ready`).catch(() => undefined))?.status === 200;
  const supervisorOf = (root: string) =>
    JSON.parse(readFileSync(join(root, ".zero", "state.json"), "utf8")).supervisor.pid as number;

  beforeAll(async () => {
    freshClone(a);
    execFileSync("git", ["-C", a, "worktree", "add", "--quiet", "-b", "review", b]);
    const shared = (await Promise.all(PORTS.map(async (name) => `${name}=${await freePort()}`))).join("\n");
    for (const root of [a, b]) {
      symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
      // Each checkout its own passwords, both the same ports (as two checkouts share the defaults).
      const passwords = `POSTGRES_PASSWORD=${randomBytes(12).toString("hex")}\nREDIS_PASSWORD=${randomBytes(12).toString("hex")}\n`;
      writeFileSync(join(root, ".env"), `${passwords}${shared}\n`, { mode: 0o600 });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([zero(a, "down"), zero(b, "down")]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("starts both at the same moment: one keeps the ports, the other moves to its own block, both healthy", async () => {
    const [first, second] = await Promise.all([zero(a, "up"), zero(b, "up")]);
    expect(first.exitCode, first.all).toBe(0);
    expect(second.exitCode, second.all).toBe(0);
    const moved = [first, second].filter((result) => result.all?.includes("this checkout uses its own"));
    expect(moved).toHaveLength(1);
    const ports = [a, b].map((root) => PORTS.map((name) => portOf(root, name)));
    expect(new Set(ports.flat()).size).toBe(PORTS.length * 2);
    expect(envFile(moved[0] === first ? a : b)).toMatch(/^API_DEBUG_PORT=\d+ # this checkout's own port/m);
    expect(await ready(a)).toBe(true);
    expect(await ready(b)).toBe(true);
    expect(second.all).toMatch(/Stack\s+review-checkout \(branch review\)/);
    expect(execFileSync("ps", ["-eo", "args="], { encoding: "utf8" })).toContain(
      "supervisor.js --stack=review-checkout",
    );
  });

  it("lists both with `zero stacks`, the current folder's marked", async () => {
    const list = await zero(a, "stacks");
    expect(list.exitCode, list.all).toBe(0);
    expect(list.all).toMatch(/^\* main-checkout {2}\S+ {2}native {2}minimal {2}running/m);
    expect(list.all).toMatch(/^ {2}review-checkout {2}review {2}native {2}minimal {2}running/m);
    expect(list.all).toContain(`http://127.0.0.1:${portOf(b, "API_PORT")}`);
  });

  it("stops one with `zero down` and leaves the other running; the moved one gets the same ports again", async () => {
    const before = PORTS.map((name) => portOf(b, name));
    expect((await zero(b, "down")).exitCode).toBe(0);
    expect(await ready(a)).toBe(true);
    expect((await zero(a, "stacks")).all).not.toContain("review-checkout");
    const again = await zero(b, "up");
    expect(again.exitCode, again.all).toBe(0);
    expect(PORTS.map((name) => portOf(b, name))).toEqual(before);
  });

  it("shows a stack whose supervisor was killed with kill -9 as gone, never running", async () => {
    process.kill(supervisorOf(b), "SIGKILL");
    const list = await zero(a, "stacks");
    expect(list.all).toMatch(/review-checkout .*gone/);
    expect((await zero(a, "stacks")).all).not.toContain("review-checkout");
    expect((await zero(b, "down")).exitCode).toBe(0); // stops what the dead supervisor left
  });

  it("stops every stack with `zero down --all`, only when confirmed", async () => {
    const unconfirmed = await zero(b, "down", "--all");
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.all).toContain("ZERO_CONFIRMATION_REQUIRED");
    expect(await ready(a)).toBe(true);
    const all = await zero(b, "down", "--all", "--yes");
    expect(all.exitCode, all.all).toBe(0);
    expect(all.all).toContain("main-checkout");
    await waitFor(async () => !(await ready(a)), 10_000, "the first stack stopped");
    expect((await zero(a, "stacks")).all).toContain("No stacks of yours are running");
  });

  it("still refuses a port held by something that is not a zero stack, by name", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(portOf(a, "POSTGRES_PORT"), "127.0.0.1", resolve));
    try {
      const refused = await zero(a, "up");
      expect(refused.exitCode).toBe(3);
      expect(refused.all).toContain("ZERO_PORT_IN_USE");
      expect(refused.all).toContain(`held by pid ${process.pid}`);
    } finally {
      holder.close();
    }
  });
});
