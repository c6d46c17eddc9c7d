import type { Project } from "../../config/project.js";
import { ZeroError } from "../../errors/zero-error.js";
import { assignFreePorts } from "../../ports/auto-assign.js";
import { forgetSchemaChecks } from "../../database/schema-markers.js";
import { prepareDatabase, startupDatabase } from "../../database/startup.js";
import { capability, runtimeFor } from "../../runtimes/index.js";
import type { Runtime, ServiceStatus } from "../../runtimes/runtime.js";
import { describeProblem } from "../../runtimes/service-problem.js";
import { claimPorts, entryFor, removeEntry, writeEntry } from "../../stacks/claim.js";
import type { CommandOptions } from "../command-options.js";
import { createEventPrinter, type Output } from "../output.js";
import { printSummary } from "../summary.js";

/** `zero up` (make dev): start the stack, or say it is already up. */
export async function up(initial: Project, out: Output, options: CommandOptions): Promise<number> {
  const began = Date.now();
  // Another zero stack on this machine holds our ports: this checkout moves to its own block (docs/configuration.md).
  const claim = await claimPorts(initial, (set) => options.reload(set));
  const project = claim.project;
  if (claim.moved) {
    const ports = Object.entries(claim.moved.ports).map(([name, port]) => `${name}=${port}`).join(" ");
    out.line(`  note      ports in use by the stack in ${claim.moved.other.root}: this checkout uses its own (saved in .env): ${ports}`);
  }
  try {
    // Later reloads (auto_ports) keep the block's ports.
    const reload = (set: Record<string, string>) => options.reload({ ...claim.set, ...set });
    return await start(project, out, { ...options, reload }, began, claim.alreadyRegistered);
  } catch (error) {
    if (!claim.alreadyRegistered) removeEntry(project.home);
    throw error;
  }
}

async function start(initial: Project, out: Output, options: CommandOptions, began: number, registered: boolean): Promise<number> {
  let project = initial;
  if (options.autoPorts) {
    const changes = await assignFreePorts(project);
    for (const change of changes) out.line(`  note      port ${change.from} is taken: using ${change.variable}=${change.to} (saved in .env)`);
    if (changes.length > 0) project = options.reload(Object.fromEntries(changes.map((c) => [c.variable, String(c.to)])));
  }
  const runtime = await runtimeFor(project.runtime);
  if (runtime.refusesPlaceholderSecrets && project.placeholders.length > 0 && !options.force) {
    throw new ZeroError("ZERO_CONFIG_INVALID", `${project.placeholders.join(", ")} still ${project.placeholders.length === 1 ? "holds" : "hold"} a CHANGE_ME placeholder; runtime ${runtime.name} refuses it.`, {
      why: "Container runtimes are how stacks get shared and deployed; a known placeholder password there is a real risk.",
      next: "Run `make secrets` to generate real ones, or add force=1 (zero: --force) to start anyway.",
    });
  }
  // branch_data=1 needs snapshots: a runtime without them says so (ZERO_UNSUPPORTED naming who can) before starting.
  if (startupDatabase(project)?.branchData) capability(runtime, "snapshots");
  for (const note of project.notes) out.line(`  note      ${note}`);
  out.line(`Starting "${project.stack.name}" (profile ${project.profile}, runtime ${runtime.name}): ${Object.keys(project.stack.services).join(", ")}`);
  const result = await runtime.up(project, createEventPrinter(out), { early: options.early });
  if (!result.alreadyRunning || !registered) writeEntry(entryFor(project, "running", result.owner));
  if (result.alreadyRunning) {
    await followBranchWhileRunning(project, out);
    const unhealthy = result.services.filter((s) => s.health !== "healthy" && s.state !== "stopped" && hasCheck(project, s.name));
    if (unhealthy.length > 0) throw await notHealthy(project, runtime, unhealthy);
    printSummary(out, project, `Already running and healthy - nothing to start.`, stackLine(project));
    return 0;
  }
  const started = startedOnly(project, result.services.map((service) => service.name));
  printSummary(out, started, `All ${Object.keys(started.stack.services).length} services healthy in ${((Date.now() - began) / 1000).toFixed(1)} s`, stackLine(project));
  return 0;
}

/** The project as far as the runtime started it: a service it left out (native: skip, e.g. Grafana) is neither counted nor linked. */
function startedOnly(project: Project, names: string[]): Project {
  if (names.length === 0) return project;
  const services = Object.fromEntries(Object.entries(project.stack.services).filter(([name]) => names.includes(name)));
  return { ...project, stack: { ...project.stack, services } };
}

/** Which checkout this is (two worktrees of one stack share its name): folder, branch, other stacks running. */
function stackLine(project: Project): string {
  const entry = entryFor(project, "running", undefined);
  return `${entry.name}${entry.branch ? ` (branch ${entry.branch})` : ""} in ${project.root}`;
}

/** branch_data=1 on a running stack (a `git switch` since it started): the branch's state, behind a restore point. */
async function followBranchWhileRunning(project: Project, out: Output): Promise<void> {
  const database = startupDatabase(project);
  if (!database?.branchData) return;
  const snapshots = capability(await runtimeFor(project.runtime), "snapshots");
  try {
    await prepareDatabase(database, snapshots, (line) => out.line(`  note      ${line}`));
  } finally {
    forgetSchemaChecks(project); // the running API's next hot reload checks the branch's schema
  }
}

/**
 * Why a running stack is not healthy, from what its runtime knows: a service that keeps exiting is called
 * crash-looping, with its last exit and log lines (nothing waited for a deadline here, and waiting would not help).
 */
async function notHealthy(project: Project, runtime: Runtime, unhealthy: ServiceStatus[]): Promise<ZeroError> {
  const first = unhealthy[0]!;
  const problems = unhealthy.map((s) => `${s.name} ${describeProblem(s) ?? `is ${s.state}, health ${s.health}`}`);
  const what = `The stack is already running, but ${problems.join("; ")}.`;
  const logs = `\`make logs service=${first.name}\` shows its whole log`;
  const lines: string[] = [];
  await runtime.capabilities.logs?.(project, { service: first.name, tail: 10, follow: false }, (line) => lines.push(`${first.name} | ${line.line}`), new AbortController().signal).catch(() => {});
  const details = lines.length > 0 ? [`last lines of ${first.name}:`, ...lines] : [];
  if (unhealthy.some((s) => s.crashLooping || s.state === "restarting" || s.state === "failed")) {
    return new ZeroError("ZERO_SERVICE_FAILED", what, {
      why: "It exits, or cannot start, each time zero starts it; zero keeps retrying with a growing delay, so waiting for its health check would not help.",
      next: `Fix what its last exit and the lines above name; zero restarts it by itself once it can run (or \`npx zero restart ${first.name}\`). ${logs}.`,
      details,
    });
  }
  return new ZeroError("ZERO_SERVICE_UNHEALTHY", what, {
    why: "It runs, but its health check fails now.",
    next: `Read the lines above; ${logs}, or run \`make down && make dev\` to start afresh.`,
    details,
  });
}

function hasCheck(project: Project, name: string): boolean {
  return Boolean(project.stack.services[name]?.healthcheck);
}
