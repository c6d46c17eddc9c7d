import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest files by CI's logs (most of their time is npm, Docker and stacks starting), slowest first. A fresh clone
 * has no record of durations, and vitest would start these last, leaving one worker alone with them at the end of
 * the run. A stale list only costs time: files not named here keep vitest's own order behind the ones named.
 */
export const slowestFiles = [
  "packages/zero/test/e2e/newcomer.test.ts",
  "packages/zero/test/e2e/compose.test.ts",
  "packages/zero/test/e2e/devcontainer.test.ts",
  "packages/zero/test/faults/liveness.test.ts",
  "packages/zero/test/e2e/monitoring-compose.test.ts",
  "packages/zero/test/e2e/compose-dashboard.test.ts",
  "packages/zero/test/e2e/monitoring.test.ts",
  "packages/zero/test/integration/database-lifecycle.test.ts",
  "packages/zero/test/faults/stop-and-orphans.test.ts",
  "packages/zero/test/faults/concurrency.test.ts",
  "packages/zero/test/e2e/watch-compose.test.ts",
];

/** vitest's order (group by group), with the files of `slowestFiles` moved to the front of their group. */
export default class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = slowestFiles.indexOf(relative(this.ctx.config.root, spec.moduleId));
      return index === -1 ? slowestFiles.length : index;
    };
    const group = (spec: TestSpecification) => spec.project.config.sequence.groupOrder;
    // Array.prototype.sort is stable: files of equal rank keep vitest's order.
    return sorted.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
