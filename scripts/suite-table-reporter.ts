import type { Reporter, TestCase, TestModule } from "vitest/node";

/** Which suite a table covers: its folder, its title and the names of its two columns and their prefixes. */
export interface SuiteTable {
  folder: string;
  title: string;
  /** The describe() name, less its prefix ("faults: ", "threat: "). */
  group: { column: string; prefix: string };
  /** The test's name, less its prefix ("guarantee: ", "promise: "). */
  claim: { column: string; prefix: string };
}

/**
 * After a run that included a suite of claims (packages/zero/test/faults, packages/zero/test/security, and any
 * describe() elsewhere named with the suite's prefix, e.g. "threat: " in an e2e file that starts the stack), prints one
 * row per claim: its group (the fault, the threat), the claim (the test's name) and whether it held, broke, or was
 * skipped (with the reason in the group's name). docs/reliability.md and docs/security.md list the same claims.
 */
export default class SuiteTableReporter implements Reporter {
  constructor(private readonly table: SuiteTable) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const { folder, title, group, claim } = this.table;
    const rows: [string, string, string][] = [];
    for (const module of testModules) {
      const inFolder = module.moduleId.includes(folder);
      for (const test of module.children.allTests()) {
        // A claim that needs a stack another file already starts (https=1, compose) lives in that file, in a
        // describe() named with the suite's prefix: it is a row of the table too.
        if (!inFolder && !(test.parent.type === "suite" && test.parent.name.startsWith(group.prefix))) continue;
        rows.push([groupOf(test, group.prefix), test.name.replace(claim.prefix, ""), outcomeOf(test)]);
      }
    }
    if (rows.length === 0) return;
    const width = (column: number, heading: string) =>
      Math.min(column === 0 ? 40 : 100, Math.max(heading.length, ...rows.map((row) => row[column]!.length)));
    const widths = [width(0, group.column), width(1, claim.column)];
    const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text.padEnd(max));
    const line = (row: string[]) => `${cut(row[0]!, widths[0]!)}  ${cut(row[1]!, widths[1]!)}  ${row[2]}`;
    const out = ["", `${title}:`, line([group.column, claim.column, "RESULT"])];
    for (const row of rows) out.push(line(row));
    const count = (outcome: string) => rows.filter((row) => row[2] === outcome).length;
    out.push(`${count("held")} held, ${count("BROKE")} broke, ${count("skipped")} skipped`, "");
    process.stdout.write(`${out.join("\n")}\n`);
  }
}

function groupOf(test: TestCase, prefix: string): string {
  const suite = test.parent.type === "suite" ? test.parent.name : test.module.moduleId;
  return suite.replace(prefix, "");
}

function outcomeOf(test: TestCase): string {
  const state = test.result().state;
  return state === "passed" ? "held" : state === "failed" ? "BROKE" : "skipped";
}
