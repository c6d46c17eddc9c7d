import type { Reporter, TestCase, TestModule } from "vitest/node";

/**
 * After a run that included the fault-injection suite (packages/zero/test/faults), prints one row per guarantee:
 * the fault, the guarantee (the test's name) and whether it held, broke, or was skipped (with the reason in the
 * group's name). docs/reliability.md lists the same guarantees.
 */
export default class FaultTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: [string, string, string][] = [];
    for (const module of testModules) {
      if (!module.moduleId.includes("/test/faults/")) continue;
      for (const test of module.children.allTests()) rows.push([faultOf(test), guaranteeOf(test), outcomeOf(test)]);
    }
    if (rows.length === 0) return;
    const width = (column: number, title: string) =>
      Math.min(column === 0 ? 40 : 100, Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const widths = [width(0, "FAULT"), width(1, "GUARANTEE")];
    const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text.padEnd(max));
    const line = (row: string[]) => `${cut(row[0]!, widths[0]!)}  ${cut(row[1]!, widths[1]!)}  ${row[2]}`;
    const out = ["", "fault-injection suite (docs/reliability.md):", line(["FAULT", "GUARANTEE", "RESULT"])];
    for (const row of rows) out.push(line(row));
    const broke = rows.filter((row) => row[2] === "BROKE").length;
    out.push(
      `${rows.length - broke - rows.filter((row) => row[2] === "skipped").length} held, ${broke} broke, ${rows.filter((row) => row[2] === "skipped").length} skipped`,
      "",
    );
    process.stdout.write(`${out.join("\n")}\n`);
  }
}

function faultOf(test: TestCase): string {
  const suite = test.parent.type === "suite" ? test.parent.name : test.module.moduleId;
  return suite.replace(/^faults: /, "");
}

function guaranteeOf(test: TestCase): string {
  return test.name.replace(/^guarantee: /, "");
}

function outcomeOf(test: TestCase): string {
  const state = test.result().state;
  return state === "passed" ? "held" : state === "failed" ? "BROKE" : "skipped";
}
