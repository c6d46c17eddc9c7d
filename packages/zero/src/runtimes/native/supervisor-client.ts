import { basename, join } from "node:path";
import type { Project } from "../../config/project.js";
import { startupDatabase } from "../../database/startup.js";
import { fromJSON, ZeroError } from "../../errors/zero-error.js";
import type { EventSink } from "../../orchestrate/events.js";
import { logTailDetails, startHelper } from "../../processes/helper-process.js";
import type { Plan, SupervisorMessage } from "./supervisor/plan.js";
import { bootSupervisor, releaseBoot, SUPERVISOR_ENTRY, type SupervisorBoot } from "./supervisor-boot.js";

const DEADLINE_MS = 120_000;

/**
 * The supervisor keeps its own deadline (DEADLINE_MS) and reports a miss as a failure: this one only ends a start
 * whose supervisor hangs without a word. Then its SIGTERM stops what it started, within STOP_GRACE_MS.
 */
const CLIENT_DEADLINE_MS = DEADLINE_MS + 60_000;
const STOP_GRACE_MS = 30_000;

/**
 * Starts the detached supervisor (or tells the one `early` booted, when it was booted for this project), relays its
 * start-up events, and lets it go once the stack is ready.
 */
export async function spawnSupervisor(project: Project, onEvent: EventSink, early?: SupervisorBoot): Promise<void> {
  const fits = early && !early.taken && early.root === project.root && early.home === project.home;
  if (!fits) await releaseBoot(early);
  const boot = fits ? early : bootSupervisor(project.root, project.home);
  try {
    await boot.logsWritable;
  } catch (error) {
    await releaseBoot(boot); // it was told nothing: it goes, and the folder's error is the one to give
    throw error;
  }
  boot.taken = true;
  const logPath = join(project.home, "logs", "supervisor.log");
  const plan: Plan = {
    root: project.root,
    home: project.home,
    profile: project.profile,
    fingerprint: project.fingerprint,
    services: project.stack.services,
    secrets: project.secrets,
    deadlineMs: DEADLINE_MS,
    database: startupDatabase(project),
  };
  const start = await startHelper<SupervisorMessage, ZeroError>({
    entry: SUPERVISOR_ENTRY,
    logPath,
    cwd: project.root,
    label: basename(project.root),
    plan,
    answer: (message) => {
      if (message.type === "event") onEvent(message.event);
      else if (message.type === "ready") return { ready: true };
      else return { failed: fromJSON(message.error as Parameters<typeof fromJSON>[0]) };
      return undefined;
    },
    deadlineMs: CLIENT_DEADLINE_MS,
    graceMs: STOP_GRACE_MS,
  }, boot.booting);
  if (start.ready) return;
  if (start.why === "failed") throw start.failure; // after a failure the supervisor stopped what it started, then exited
  const what =
    start.why === "exited"
      ? `The supervisor exited during start-up (${start.signal ? `killed by ${start.signal}` : `exit code ${start.exitCode}`}).`
      : `The supervisor was not ready within ${CLIENT_DEADLINE_MS / 1000} s; it was stopped.`;
  throw new ZeroError("ZERO_SUPERVISOR_UNREACHABLE", what, {
    next: `Read ${logPath}, then run \`make dev\` again.`,
    details: logTailDetails(start),
  });
}
