import { existsSync } from "node:fs";
import { join } from "node:path";
import { createMasker } from "@zero/contracts/mask";
import { configHash } from "../config/config-hash.js";
import { repairPrivateModes } from "../config/private-files.js";
import { recordedHome } from "../config/recorded-project.js";
import { findRoot } from "../config/root.js";
import { withLifecycleLock } from "../orchestrate/lifecycle-lock.js";
import { recordedStack } from "../runtimes/recorded.js";
import { readEntries, removeEntry, type StackEntry } from "../stacks/registry.js";
import { PROFILE_JOINER } from "../stack/profiles.js";
import { createEventPrinter, createOutput } from "./output.js";
import { printStatus } from "./status-table.js";
import { printStopped } from "./stopped-line.js";

export interface RecordPathOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  profile?: string;
  with?: string[];
  runtime?: string;
  set: Record<string, string>;
  json?: boolean;
  volumes?: boolean;
}

/**
 * `zero status` and `zero down` of a running native stack from its records alone: the registry entry says where this
 * checkout's stack lives, the supervisor's state file how to reach it, then one control API call. Loading the project
 * instead (stack.yaml through the YAML parser and zod, .env, every variable) cost ~110 ms of CPU, more than Node's
 * own start, for nothing these commands print. Anything else (no entry for the home the full path would use, another
 * runtime, stack.yaml or a .env file changed since the project was loaded, a dead or frozen supervisor, one too old
 * to mask its answer, .env gone, data to delete) answers undefined and the full
 * path, which handles it, runs.
 */
export async function runFromRecord(command: string, options: RecordPathOptions): Promise<number | undefined> {
  if (command !== "status" && command !== "down") return undefined;
  if (command === "down" && options.volumes) return undefined; // data to delete: asked first, on the full path
  const found = runningStack(options);
  if (!found || (command === "down" && found.entry.ephemeral !== false)) return undefined;
  const { root, entry } = found;
  // The supervisor masks every secret value it knows in its answer; this masks any user:password@ in a URL besides.
  const out = createOutput(createMasker([]));
  const stack = await recordedStack(entry.runtime, entry.home);
  if (!stack) return undefined;
  // What the full path does for every command: tell about (and fix) private files other users could read.
  for (const note of repairPrivateModes(root, entry.home)) out.error(`  note      ${note}`);
  if (command === "status") {
    const answer = await stack.status();
    if (!answer) return undefined; // not answering: the full path says so, and how to resume it
    // URLs and words as the supervisor answers them, every secret value masked (it holds the list).
    return printStatus(answer.services, (name) => answer.urls[name] ?? {}, out, options);
  }
  const began = Date.now();
  return withLifecycleLock(
    entry.home,
    "down",
    async () => {
      const result = await stack.down(createEventPrinter(out));
      removeEntry(entry.home);
      return printStopped(out, result, began, stack.dataLocation);
    },
    { onWait: (message) => out.line(`  note      ${message}`) },
  );
}

/**
 * This checkout's native stack as the registry records it: the entry of this folder in the home the full path would
 * use (a --set, environment or .env ZERO_HOME, else .zero: recordedHome), started with this profile unless a home
 * was named, from the configuration as it is now (same hash). Any other stack of this checkout (`make bench` runs
 * one in a throwaway home) is never this one. The state file in that home is what the commands then trust.
 */
function runningStack(options: RecordPathOptions): { root: string; entry: StackEntry } | undefined {
  let root: string;
  try {
    root = findRoot(options.cwd);
  } catch {
    return undefined;
  }
  // .env gone under a running stack: the full path explains where its passwords are.
  if (!existsSync(join(root, ".env")) && existsSync(join(root, ".env.example"))) return undefined;
  const chosen = options.profile || options.set.ZERO_PROFILE || options.env.ZERO_PROFILE || "full";
  const profile = [chosen, ...(options.with ?? [])].join(PROFILE_JOINER);
  const named = Boolean(options.set.ZERO_HOME || options.env.ZERO_HOME);
  const home = recordedHome({ cwd: root, env: options.env, set: options.set });
  // A runtime asked for by name must be the recorded one (the registry says which can answer from a record).
  const runtime = options.runtime || options.set.ZERO_RUNTIME || options.env.ZERO_RUNTIME;
  const entry = readEntries().find(
    (entry) =>
      entry.root === root &&
      entry.home === home &&
      (!runtime || entry.runtime === runtime) &&
      (named || entry.profile === profile),
  );
  // A configuration edited since it was loaded may be broken: the full path validates it and says so in one line.
  if (!entry?.configHash || entry.configHash !== configHash(root)) return undefined;
  return { root, entry };
}
