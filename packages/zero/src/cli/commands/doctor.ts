import { runChecks } from "../../doctor/checks.js";
import { writeReport } from "../../doctor/report.js";
import { colors as pc, type Output } from "../output.js";

/** `zero doctor` (make doctor): a checklist of every prerequisite with the fix for each. */
export async function doctor(out: Output, root: string, report = false): Promise<number> {
  const results = await runChecks(root);
  for (const result of results) {
    const mark = result.ok ? pc.green("✔") : result.required ? pc.red("✖") : pc.yellow("!");
    out.line(`${mark} ${result.name.padEnd(24)} ${result.detail}`);
    if (result.fix) out.line(`  ${"".padEnd(24)} fix: ${result.fix}`);
  }
  const failed = results.filter((r) => !r.ok && r.required);
  out.line("");
  out.line(failed.length === 0 ? "Everything the native runtime needs is here." : `${failed.length} required check(s) failed.`);
  if (report) {
    const file = await writeReport(root, results);
    out.line("");
    out.line(`Report written to ${file} (passwords and tokens redacted; only you can read it).`);
    out.line("Read it, then attach it to an issue in this repository's tracker (docs/troubleshooting.md#escalation).");
    return 0;
  }
  return failed.length === 0 ? 0 : 4;
}
