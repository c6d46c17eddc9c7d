import type { Project } from "../config/project.js";
import { kindOf } from "../kinds/index.js";
import { colors as pc, type Output } from "./output.js";

/** The lines a developer needs after `make dev`: URLs, debug ports, connection strings (masked). */
export function summaryRows(project: Project): [string, string][] {
  const rows: [string, string][] = [];
  const services = Object.values(project.stack.services);
  for (const service of services) {
    for (const [label, url] of Object.entries(service.urls)) rows.push([label, url]);
  }
  for (const service of services) {
    if (service.ports.debug) rows.push(["Debugger", `${service.name}: 127.0.0.1:${service.ports.debug} (chrome://inspect or VS Code "Attach")`]);
  }
  for (const service of services) {
    const connection = kindOf(service).connection;
    if (connection) rows.push([connection.label, connection.url(service, "127.0.0.1")]);
  }
  return rows;
}

export function printSummary(out: Output, project: Project, headline: string, stack?: string): void {
  out.line("");
  out.line(`${pc.green("✔")} ${pc.bold(headline)}`);
  out.line("");
  const rows: [string, string][] = [...(stack ? [["Stack", stack] as [string, string]] : []), ...summaryRows(project)];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) out.line(`  ${label.padEnd(width)}  ${value}`);
  out.line("");
  out.line(pc.dim("  Passwords are in .env. Next: make status · make logs · make down · make stacks (every stack of yours)"));
}
