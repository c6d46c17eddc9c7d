import { NOT_ANSWERING, type ServiceStatus } from "../runtimes/runtime.js";
import { describeProblem } from "../runtimes/service-problem.js";
import { colors as pc, type Output } from "./output.js";

// The status table, printed by `zero status` from the project (commands/status.ts) or from the record (record-path.ts).

/** The table (or `--json`) and what is wrong; the exit code. `urlsOf` gives a service's URLs (the first is shown). */
export function printStatus(
  services: ServiceStatus[] | undefined,
  urlsOf: (name: string) => Record<string, string>,
  out: Output,
  options: { json?: boolean },
): number {
  if (options.json) {
    out.line(JSON.stringify({ running: Boolean(services), services: services ?? [] }, null, 2));
  } else if (!services) {
    out.line("Nothing is running. Start the stack with `make dev`.");
  } else {
    const rows = services.map((s) => [
      s.name,
      s.crashLooping && s.state !== "running" ? "crash-looping" : s.state,
      s.health,
      s.startedAt && s.state === "running" ? formatUptime(Date.now() - Date.parse(s.startedAt)) : "-",
      String(s.restarts),
      s.cpu === undefined ? "-" : `${s.cpu.toFixed(1)}%`,
      s.memoryBytes === undefined ? "-" : `${Math.round(s.memoryBytes / 1024 ** 2)} MB`,
      Object.values(s.ports).join(","),
      Object.values(urlsOf(s.name))[0] ?? "",
    ]);
    const header = ["SERVICE", "STATE", "HEALTH", "UPTIME", "RESTARTS", "CPU", "MEMORY", "PORTS", "URL"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
    out.line(pc.bold(format(header)));
    for (const row of rows) out.line(format(row));
    const orphans = services.filter((s) => s.orphanPids?.length);
    const problem = services.find((s) => s.problem)?.problem;
    if (problem?.code === "supervisor-gone") {
      printSupervisorGone(out, orphans);
    } else if (problem?.code === "supervisor-not-answering") {
      out.line(
        `${pc.yellow("!")} The ${NOT_ANSWERING}: ${problem.why}. Its services are shown as last recorded; nobody checks or restarts them meanwhile.`,
      );
      const pid = problem.stoppedPid;
      out.line(
        `  ${pid ? `Resume it with \`kill -CONT ${pid}\`, or run` : "Run"} \`make down\` (it stops the services from the record, then the supervisor), then \`make dev\`.`,
      );
    } else {
      for (const s of services) {
        const problem = describeProblem(s);
        if (problem) out.line(`${pc.yellow("!")} ${s.name} ${problem}. Run \`make logs service=${s.name}\``);
      }
    }
  }
  if (!services) return 1;
  const answered = services.every((s) => s.problem?.code !== "supervisor-not-answering");
  return answered && services.every((s) => s.state === "running" && s.health !== "unhealthy") ? 0 : 1;
}

/** The supervisor died (kill -9, OOM): say what still runs unsupervised and how to get a clean stack again. */
function printSupervisorGone(out: Output, orphans: ServiceStatus[]): void {
  if (orphans.length === 0) {
    out.line(
      `${pc.yellow("!")} The supervisor is not running and none of the stack's processes are left. Run \`make dev\` to start again (\`make down\` clears the old state).`,
    );
    return;
  }
  const what = orphans.map((s) => `${s.name} (pid ${s.orphanPids!.join(", ")})`).join(", ");
  out.line(
    `${pc.yellow("!")} The supervisor is not running, but these still run unsupervised: ${what}. Nothing restarts or monitors them.`,
  );
  out.line(`  Run \`make down\` to stop them, then \`make dev\` to start a supervised stack.`);
}

export function formatUptime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}
