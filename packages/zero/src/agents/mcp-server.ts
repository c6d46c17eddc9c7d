import type { Project } from "../config/project.js";
import { maskDeep } from "../config/mask.js";
import { isZeroError, ZeroError } from "../errors/zero-error.js";
import { type AgentTool, agentTools, type Answer } from "./tools.js";

// `zero mcp`: the agent tools served over the Model Context Protocol on stdin/stdout, with the official SDK.
// The SDK is a development dependency (make dev never needs it): loaded here, on first use, and named in the error
// when an install left it out (npm ci --omit=dev).

const SDK = "@modelcontextprotocol/sdk";

/** Serves until the client closes stdin. Every answer passes through the project's masker. */
export async function serveMcp(load: () => Project, version: string): Promise<void> {
  const { McpServer, StdioServerTransport } = await loadSdk();
  let project = load();
  const context = {
    load: () => {
      project = load();
      return project;
    },
  };
  const server = new McpServer({ name: "zero", version }, { instructions: INSTRUCTIONS });
  for (const tool of agentTools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: annotationsOf(tool) },
      async (args: Record<string, unknown>) => {
        const { answer, failed } = await answerOf(tool, args, context);
        const masked = maskDeep(answer, project.mask); // before serialising: escapes cannot hide a secret
        return {
          content: [{ type: "text" as const, text: JSON.stringify(masked) }],
          structuredContent: masked,
          isError: failed,
        };
      },
    );
  }
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once("end", resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
}

const INSTRUCTIONS =
  "Zero-to-Running's development stack. Call status first; when a service is failing, read its error lines with logs (service, level=error), fix the code, then restart_service. Answers never contain secrets. Tools that delete data (reset_db, restore_db, down with volumes) only say what the developer must run.";

async function answerOf(
  tool: AgentTool,
  args: Record<string, unknown>,
  context: { load: () => Project },
): Promise<{ answer: Answer; failed: boolean }> {
  try {
    return { answer: await tool.run(args, context), failed: false };
  } catch (error) {
    const failure = isZeroError(error)
      ? error
      : new ZeroError("ZERO_INTERNAL", (error as Error)?.message ?? String(error), { cause: error });
    const { code, message, why, next, docs, details } = failure;
    return {
      answer: { error: { code, message, why, next, docs, ...(details.length > 0 && { details: details.slice(-20) }) } },
      failed: true,
    };
  }
}

function annotationsOf(tool: AgentTool) {
  if (tool.effect === "read") return { readOnlyHint: true, openWorldHint: false };
  // A human-only tool changes nothing; it is marked destructive so clients show what it stands for.
  if (tool.effect === "human-only") return { readOnlyHint: true, destructiveHint: true, openWorldHint: false };
  return { readOnlyHint: false, destructiveHint: false, openWorldHint: false };
}

async function loadSdk() {
  try {
    const [{ McpServer }, { StdioServerTransport }] = await Promise.all([
      import("@modelcontextprotocol/sdk/server/mcp.js"),
      import("@modelcontextprotocol/sdk/server/stdio.js"),
    ]);
    return { McpServer, StdioServerTransport };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new ZeroError(
      "ZERO_PREREQ_MISSING",
      `zero mcp needs ${SDK}, a development dependency that this install left out.`,
      {
        why: "`make dev` installs only what the stack needs (npm ci --omit=dev); the MCP server is for coding agents.",
        next: "Run `npm install` in the repository (it installs the development dependencies too), then start `npx zero mcp` again.",
        cause: error,
      },
    );
  }
}
