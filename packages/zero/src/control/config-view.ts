import type { ConfigView } from "@zero/contracts/control";
import { isZeroError } from "../errors/zero-error.js";

/** The running stack the view compares the files with. */
export interface RunningStack {
  root: string;
  profile: string;
  runtime: string;
  fingerprint: string;
}

/**
 * The effective configuration read again from stack.yaml and the .env files now (as `zero config` does), so the
 * dashboard shows edits and their problems without a restart. Loaded on first use: the supervisor otherwise
 * and the compose control server keep zod and the loader out of memory (docs/performance.md).
 */
export async function readConfigView(plan: RunningStack, mask: (text: string) => string): Promise<ConfigView> {
  const [{ loadProject }, { effectiveSettings }] = await Promise.all([
    import("../config/project.js"),
    import("../config/effective.js"),
  ]);
  try {
    const project = loadProject({ cwd: plan.root, env: process.env, profile: plan.profile, runtime: plan.runtime });
    const settings = effectiveSettings(project).map((row) => ({ ...row, value: mask(row.value) }));
    return {
      profile: project.profile,
      runtime: project.runtime,
      settings,
      problems: [],
      changedSinceStart: project.fingerprint !== plan.fingerprint,
    };
  } catch (error) {
    if (!isZeroError(error)) throw error;
    const problems = error.details && error.details.length > 0 ? error.details : [error.message];
    return {
      profile: plan.profile,
      runtime: plan.runtime,
      settings: [],
      problems: problems.map(mask),
      next: error.next,
      changedSinceStart: true,
    };
  }
}
