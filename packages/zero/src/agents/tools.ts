import { type TraceOrder, traceOrders } from "@zero/contracts/control";
import { z } from "zod";
import { effectiveSettings } from "../config/effective.js";
import type { Project } from "../config/project.js";
import { migrateDatabase, seedDatabase } from "../database/operations.js";
import { runChecks } from "../doctor/checks.js";
import { ZeroError } from "../errors/zero-error.js";
import { withLifecycleLock } from "../orchestrate/lifecycle-lock.js";
import { capability, runtimeFor } from "../runtimes/index.js";
import type { LogLine, ServiceStatus, TraceReader } from "../runtimes/runtime.js";
import { describeProblem } from "../runtimes/service-problem.js";
import { dependencyConditions } from "../stack/graph.js";
import { refusal } from "./human-only.js";
import { LEVELS, type Level, type LogFilter, MAX_LINES, queryLogs } from "./log-query.js";

// The tools `zero mcp` offers a coding agent: the same runtime capabilities the CLI calls (which reach the stack
// through the control client, with its Host and token rules), answered as compact data that says what to do next.
// No tool here prints: stdout is the MCP channel.

export type Answer = Record<string, unknown>;

export interface ToolContext {
  /** The project read afresh: an agent may have edited .env or stack.yaml since the last call. */
  load: () => Project;
}

export interface AgentTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodRawShape;
  /** read: no effect on the stack; act: changes what runs; human-only: answers what it would do, does nothing. */
  effect: "read" | "act" | "human-only";
  run: (args: Record<string, unknown>, context: ToolContext) => Promise<Answer>;
}

const MAX_TRACES = 100;
const MAX_TRACE_SPANS = 200;

/** How many recent lines the logs tool searches: the control API's own history bound. */
const SEARCHED_LINES = 5_000;

const service = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/)
  .describe("a service name from the status tool, e.g. api");

export const agentTools: AgentTool[] = [
  {
    name: "status",
    title: "Stack status",
    description:
      "Every service of the running stack: state, health, why it is unhealthy or failing, restarts, ports, URLs, what it depends on. Call it first, and after every change.",
    input: {},
    effect: "read",
    run: async (_args, { load }) => {
      const project = load();
      const services = await capability(await runtimeFor(project.runtime), "status")(project);
      const where = { runtime: project.runtime, profile: project.profile };
      if (!services)
        return { ...where, running: false, next: "Nothing is running: ask the developer to run `make dev`." };
      const rows = services.map((s) => serviceRow(project, s));
      const troubled = rows.filter((row) => row.problem || row.state !== "running");
      return {
        ...where,
        running: true,
        healthy: troubled.length === 0,
        services: rows,
        ...(troubled[0] && {
          next: `Read ${troubled[0].name}'s error lines (logs with service=${troubled[0].name}, level=error); after fixing the cause, call restart_service with service=${troubled[0].name}.`,
        }),
      };
    },
  },
  {
    name: "logs",
    title: "Service logs",
    description: `Recent log lines (secrets masked), newest last, filtered by service, lowest level, text and time range. Searches the most recent lines (up to ${SEARCHED_LINES}); answers at most ${MAX_LINES} lines and 16 kB.`,
    input: {
      service: service.optional(),
      level: z.enum(LEVELS).optional().describe("lowest level to keep: error keeps error and fatal"),
      text: z.string().max(200).optional().describe("case-insensitive text the line contains"),
      since: z.string().optional().describe("ISO time, or how long ago: 30s, 10m, 2h"),
      until: z.string().optional().describe("ISO time"),
      lines: z
        .number()
        .int()
        .min(1)
        .max(MAX_LINES)
        .optional()
        .describe("how many of the newest matching lines (default 100)"),
    },
    effect: "read",
    run: async (args, { load }) => {
      const project = load();
      const name = args.service as string | undefined;
      if (name) knownService(project, name);
      const since = args.since === undefined ? undefined : readTime(args.since as string, "since");
      const until = args.until === undefined ? undefined : readTime(args.until as string, "until");
      const answer = await recentLogs(project, {
        service: name,
        level: args.level as Level | undefined,
        text: args.text as string | undefined,
        since,
        until,
        lines: args.lines as number | undefined,
      });
      return {
        ...answer,
        ...(answer.truncated && { next: "More lines matched than fit: narrow with level, text or since/until." }),
        ...(answer.matched === 0 && {
          next: "No line matched: widen the filter, or check the service name with the status tool.",
        }),
      };
    },
  },
  ...(["restart", "stop", "start"] as const).map(
    (action): AgentTool => ({
      name: `${action}_service`,
      title: `${action[0]!.toUpperCase()}${action.slice(1)} a service`,
      description: {
        restart:
          "Restarts one service (after a code or configuration change) and answers its state once it is healthy, or why it is not.",
        stop: "Stops one service; it stays stopped until start_service.",
        start: "Starts one stopped service and answers its state.",
      }[action],
      input: { service },
      effect: "act",
      run: async (args, { load }) => {
        const project = load();
        const name = knownService(project, args.service as string);
        const runtime = await runtimeFor(project.runtime);
        try {
          await capability(runtime, action)(project, name);
        } catch (error) {
          throw withLogHint(error, name);
        }
        const now = (await capability(runtime, "status")(project))?.find((s) => s.name === name);
        const row = now ? serviceRow(project, now) : undefined;
        if (action !== "stop" && row && (row.state !== "running" || row.health === "unhealthy")) {
          const { lines } = await recentLogs(project, { service: name, level: "error", lines: 10 });
          throw new ZeroError(
            "ZERO_SERVICE_FAILED",
            `${name} did not come up after ${action}: ${row.problem ?? row.state}.`,
            {
              next: `Fix the cause in the lines below (logs with service=${name} has more), then call restart_service again.`,
              details: lines,
            },
          );
        }
        return { done: `${action} ${name}`, service: row };
      },
    }),
  ),
  {
    name: "traces",
    title: "Request traces",
    description:
      "The API's recent request traces (needs the stack started with traces=1): root span, start, duration, span count, HTTP status, error. order=failed lists only the failed ones, slowest the longest first. Then call trace with a traceId.",
    input: {
      order: z.enum(traceOrders).optional().describe("recent (default), slowest, or failed"),
      limit: z.number().int().min(1).max(MAX_TRACES).optional().describe("how many (default 20)"),
    },
    effect: "read",
    run: async (args, { load }) => {
      const reader = await traceReader(load());
      const { traces, kept } = await reader.traces({
        order: args.order as TraceOrder | undefined,
        limit: (args.limit as number | undefined) ?? 20,
      });
      return {
        traces,
        kept,
        ...(kept.traces === 0 && {
          next: "No trace yet: make a request to the API. If the stack was not started with traces=1, ask the developer to run `make dev traces=1`.",
        }),
        ...(traces[0] && { next: `Read one with the trace tool (traceId=${traces[0].traceId}).` }),
      };
    },
  },
  {
    name: "trace",
    title: "One trace",
    description: `One request's spans (HTTP, Fastify, each PostgreSQL query and Redis command) with durations, errors and attributes (secrets masked), and the log lines that carry its trace id. At most ${MAX_TRACE_SPANS} spans and ${MAX_LINES} log lines.`,
    input: {
      traceId: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .describe("a traceId from the traces tool"),
    },
    effect: "read",
    run: async (args, { load }) => {
      const trace = await (await traceReader(load())).trace(args.traceId as string);
      const failed = trace.spans.find((span) => span.status === "error");
      return {
        ...trace,
        spans: trace.spans
          .slice(0, MAX_TRACE_SPANS)
          .map(({ startMs, ...span }) => ({ ...span, startOffsetMs: round(startMs - trace.spans[0]!.startMs) })),
        logs: trace.logs.slice(-MAX_LINES).map((entry) => clip(entry.line)),
        ...(trace.spans.length > MAX_TRACE_SPANS && { truncatedSpans: trace.spans.length - MAX_TRACE_SPANS }),
        ...(failed && {
          next: `The span "${failed.name}" failed${failed.statusMessage ? `: ${failed.statusMessage}` : ""}; its service's logs around ${trace.startedAt} may say more.`,
        }),
      };
    },
  },
  {
    name: "migrate",
    title: "Apply migrations",
    description:
      "Applies pending database migrations, exactly as `make migrate` does: all in one transaction, behind a restore point (native and compose runtimes) so a failure puts the database back as it was; the developer's `make rollback` returns to the point.",
    input: {},
    effect: "act",
    run: async (_args, { load }) => {
      const project = load();
      const { applied, point } = await migrateDatabase(project, await runtimeFor(project.runtime));
      return {
        applied,
        atLatest: true,
        ...(point && {
          restorePoint: point.name,
          undo: "Only the developer can go back to it: ask them to run `make rollback` in a terminal.",
        }),
      };
    },
  },
  {
    name: "seed",
    title: "Load the seed data",
    description:
      "Runs the seed files again in one transaction, exactly as `make seed` does; rows that exist are kept (idempotent).",
    input: {},
    effect: "act",
    run: async (_args, { load }) => {
      const project = load();
      return { ran: await seedDatabase(project, await runtimeFor(project.runtime)) };
    },
  },
  {
    name: "config",
    title: "Effective configuration",
    description: "Every setting with its value and where it came from; secrets are always masked.",
    input: {},
    effect: "read",
    run: async (_args, { load }) => {
      const project = load();
      return {
        runtime: project.runtime,
        profile: project.profile,
        settings: effectiveSettings(project).map(({ name, value, source }) => ({ name, value, source })),
        notes: project.notes,
      };
    },
  },
  {
    name: "doctor",
    title: "Prerequisites",
    description:
      "Checks the tools the stack needs (Node, npm packages, PostgreSQL binaries, redis-server, disk, .env, Docker) and gives the fix for each failure.",
    input: {},
    effect: "read",
    run: async (_args, { load }) => {
      const results = await runChecks(load().root);
      const failed = results.filter((r) => !r.ok);
      return {
        passed: results.length - failed.length,
        failed: failed.map(({ name, required, detail, fix }) => ({ name, required, detail, fix })),
        ...(failed.some((r) => r.required) && { next: "Tell the developer the fixes above for the required checks." }),
      };
    },
  },
  {
    name: "down",
    title: "Stop the stack",
    description:
      "Stops every service; the data is kept. With volumes=true it would also delete the data: that needs the developer (answers the command for them to run).",
    input: { volumes: z.boolean().optional().describe("also delete the data: never done from here") },
    effect: "act",
    run: async (args, { load }) => {
      const project = load();
      if (args.volumes) return refusal("down-volumes", project);
      const runtime = await runtimeFor(project.runtime);
      const result = await withLifecycleLock(project.home, "down", () => runtime.down(project, () => {}));
      return { stopped: result.stopped, nothingRunning: result.nothingRunning, dataKept: !result.dataRemoved };
    },
  },
  {
    name: "reset_db",
    title: "Reset the database (needs the developer)",
    description:
      "Would drop, recreate, migrate and seed the database. Never runs from here: answers what it would do and the command the developer runs in a terminal to confirm.",
    input: {},
    effect: "human-only",
    run: async (_args, { load }) => refusal("reset-db", load()),
  },
  {
    name: "restore_db",
    title: "Restore a backup (needs the developer)",
    description:
      "Would replace the database with a backup. Never runs from here: answers what it would do and the command the developer runs in a terminal to confirm.",
    input: { file: z.string().max(500).optional().describe("the backup file (make backups lists them)") },
    effect: "human-only",
    run: async (args, { load }) => refusal("restore-db", load(), args.file as string | undefined),
  },
];

/** The running stack's trace reader, or what to do when nothing runs. */
async function traceReader(project: Project): Promise<TraceReader> {
  const reader = capability(await runtimeFor(project.runtime), "traces")(project);
  if (!reader)
    throw new ZeroError("ZERO_USAGE", "Nothing is running, so there are no traces.", {
      next: "Ask the developer to run `make dev traces=1`.",
    });
  return reader;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const clip = (line: string) => (line.length > 600 ? `${line.slice(0, 600)}…` : line);

/** The newest lines that match, from the last SEARCHED_LINES of the service's (or every service's) log. */
async function recentLogs(project: Project, filter: LogFilter & { service?: string }) {
  const entries: LogLine[] = [];
  await capability(await runtimeFor(project.runtime), "logs")(
    project,
    { service: filter.service, tail: SEARCHED_LINES, since: filter.since, follow: false },
    (line) => entries.push(line),
    AbortSignal.timeout(15_000),
  );
  return queryLogs(entries, filter);
}

/** One service, compact: what an agent needs to decide what to do. */
function serviceRow(project: Project, s: ServiceStatus) {
  const declared = project.stack.services[s.name];
  const problem = describeProblem(s);
  return {
    name: s.name,
    state: s.crashLooping && s.state !== "running" ? "crash-looping" : s.state,
    health: s.health,
    restarts: s.restarts,
    ports: s.ports,
    urls: declared?.urls ?? {},
    dependsOn: declared ? dependencyConditions(declared) : {},
    ...(problem && { problem: `${s.name} ${problem}` }),
    ...(s.lastExit && { lastExit: s.lastExit }),
  };
}

function knownService(project: Project, name: string): string {
  const names = Object.keys(project.stack.services);
  if (!names.includes(name)) {
    throw new ZeroError("ZERO_USAGE", `No service "${name}" in profile ${project.profile}.`, {
      next: `Name one of: ${names.join(", ")}.`,
    });
  }
  return name;
}

/** "10m", "2h", "30s" ago, or an ISO time. */
function readTime(text: string, what: string): string {
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[relative[2] as "s" | "m" | "h" | "d"];
    return new Date(Date.now() - Number(relative[1]) * unit).toISOString();
  }
  if (!Number.isNaN(Date.parse(text))) return new Date(text).toISOString();
  throw new ZeroError("ZERO_USAGE", `${what} expects a duration like 10m or an ISO time, got "${text}".`);
}

/** A failed action's next step: the lines that say why. */
function withLogHint(error: unknown, name: string): unknown {
  const next = `Read why: logs with service=${name}, level=error. Fix the cause, then call restart_service again.`;
  if (error instanceof ZeroError)
    return new ZeroError(error.code, error.message, { why: error.why, next, details: error.details, cause: error });
  return new ZeroError(
    "ZERO_SERVICE_FAILED",
    `${name} did not come up: ${(error as Error)?.message ?? String(error)}`,
    { next, cause: error },
  );
}
