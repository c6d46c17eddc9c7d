import type { Project } from "../../config/project.js";
import { effectiveSettings } from "../../config/effective.js";
import { colors as pc, type Output } from "../output.js";

/** `zero config` (make config): the effective configuration, where each value came from, secrets masked. */
export async function config(project: Project, out: Output, options: { json?: boolean }): Promise<number> {
  const rows = effectiveSettings(project);
  if (options.json) {
    out.line(
      JSON.stringify(
        { profile: project.profile, runtime: project.runtime, settings: rows, warnings: project.variables.warnings },
        null,
        2,
      ),
    );
    return 0;
  }
  out.line(`Configuration for profile ${project.profile}, runtime ${project.runtime} (valid)`);
  for (const note of project.notes) out.line(`  note      ${note}`);
  out.line("");
  const widths = [Math.max(8, ...rows.map((r) => r.name.length)), Math.max(5, ...rows.map((r) => r.value.length))];
  out.line(pc.bold(`${"VARIABLE".padEnd(widths[0]!)}  ${"VALUE".padEnd(widths[1]!)}  SOURCE`));
  for (const row of rows) out.line(`${row.name.padEnd(widths[0]!)}  ${row.value.padEnd(widths[1]!)}  ${row.source}`);
  return 0;
}
