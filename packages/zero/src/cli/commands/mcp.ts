import type { Project } from "../../config/project.js";
import type { CommandOptions } from "../command-options.js";
import type { Output } from "../output.js";

/** `zero mcp`: the stack's tools for a coding agent over the Model Context Protocol (stdio; docs/agents.md). */
export async function mcp(_project: Project, _out: Output, options: CommandOptions): Promise<number> {
  const { serveMcp } = await import("../../agents/mcp-server.js");
  await serveMcp(() => options.reload({}), "0.1.0");
  return 0;
}
