import type { SerializedError } from "vitest";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends a run with plain lines any CI can read: "tests: N passed, N failed, N skipped", then each failed test (file,
 * name, the error's first line) and each uncaught error. It is the last reporter, so a CI log cut to its tail still
 * names what failed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const failures: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") counts.passed++;
        else if (result.state === "failed") {
          counts.failed++;
          failures.push(`  ✖ ${module.moduleId.replace(`${process.cwd()}/`, "")} > ${test.fullName}`);
          failures.push(`      ${firstLine(result.errors[0]?.message)}`);
        } else counts.skipped++;
      }
      for (const error of module.errors()) failures.push(`  ✖ ${module.moduleId} (file): ${firstLine(error.message)}`);
    }
    const lines = [`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`, ...failures];
    for (const error of unhandledErrors) lines.push(`  ✖ uncaught: ${firstLine(error.message)}`);
    process.stdout.write(`\n${lines.join("\n")}\n`);
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? "(no message)").split("\n")[0].slice(0, 300);
}
