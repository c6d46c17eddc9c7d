import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { findRoot } from "../../config/project.js";
import { PROFILE_JOINER } from "../../stack/profiles.js";
import { currentStacks } from "../../stacks/current.js";
import { confirm } from "../confirm.js";
import { colors as pc, type Output } from "../output.js";

/** `zero stacks` (make stacks): this user's stacks on this machine, the current folder's marked. */
export async function stacks(out: Output, json: boolean): Promise<number> {
  const rows = await currentStacks();
  const here = hereRoot();
  if (json) {
    out.line(
      JSON.stringify(
        rows.map(({ entry, state }) => ({ ...entry, state, current: entry.root === here })),
        null,
        2,
      ),
    );
    return 0;
  }
  const running = rows.filter((row) => row.state !== "gone");
  if (rows.length === 0) {
    out.line("No stacks of yours are running on this machine (`make dev` starts this folder's).");
    return 0;
  }
  out.line(`${running.length} stack(s) of yours on this machine (* this folder):`);
  for (const { entry, state } of rows) {
    const mark = entry.root === here ? "*" : " ";
    const label =
      state === "gone"
        ? pc.dim("gone (its processes died; removed from the list)")
        : state === "running"
          ? pc.green(state)
          : pc.yellow(state);
    out.line(
      `${mark} ${pc.bold(entry.name)}  ${entry.branch ?? "-"}  ${entry.runtime}  ${entry.profile}  ${label}  since ${entry.startedAt.replace("T", " ").slice(0, 16)}`,
    );
    out.line(`    ${entry.root}`);
    if (state !== "gone")
      for (const [name, url] of Object.entries(entry.urls)) out.line(`    ${name.padEnd(10)} ${url}`);
  }
  return 0;
}

/** `zero down --all` (make down all=1): stops every running stack of this user, each by its own `zero down`. */
export async function downAll(out: Output, yes: boolean | undefined): Promise<number> {
  const running = (await currentStacks()).filter((row) => row.state !== "gone").map((row) => row.entry);
  if (running.length === 0) {
    out.line("No stacks of yours are running - nothing to stop.");
    return 0;
  }
  await confirm(
    `This stops ${running.length} stack(s): ${running.map((entry) => `${entry.name} (${entry.root})`).join(", ")}.`,
    { yes, flag: "yes=1 (zero: --yes)" },
  );
  let failed = 0;
  for (const entry of running) {
    out.line(`${pc.bold(entry.name)} (${entry.root}):`);
    const result = await execa(
      process.execPath,
      [zeroCli(), "down", ...profileArgs(entry.profile), "--runtime", entry.runtime],
      {
        cwd: entry.root,
        env: { ...process.env, ZERO_HOME: entry.home },
        reject: false,
        all: true,
      },
    );
    for (const line of (result.all ?? "").split("\n").filter(Boolean)) out.line(`  ${line}`);
    if (result.exitCode !== 0) failed = result.exitCode ?? 1;
  }
  return failed;
}

function profileArgs(profile: string): string[] {
  const [base, ...added] = profile.split(PROFILE_JOINER);
  return ["--profile", base!, ...added.flatMap((name) => ["--with", name])];
}

/** This very CLI (bin/zero.js): every stack is stopped by the same zero. */
function zeroCli(): string {
  const bin = process.argv[1]!;
  return existsSync(bin) ? bin : join(process.cwd(), "packages/zero/bin/zero.js");
}

function hereRoot(): string | undefined {
  try {
    return findRoot(process.cwd());
  } catch {
    return undefined;
  }
}
