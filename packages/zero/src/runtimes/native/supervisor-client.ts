import { type ControlClient, createControlClient } from "@zero/contracts/control-client";
import { basename, join } from "node:path";
import type { Project } from "../../config/project.js";
import { jsonFetch } from "../../control/json-fetch.js";
import { startupDatabase } from "../../database/startup.js";
import { fromJSON, ZeroError } from "../../errors/zero-error.js";
import type { EventSink } from "../../orchestrate/events.js";
import { spawnDetached } from "../../processes/spawn-detached.js";
import type { Plan, SupervisorMessage } from "./supervisor/plan.js";
import type { StackState } from "./supervisor/state-file.js";
import { assertLogsWritable, rotateIfFull } from "./supervisor/log-file.js";

const DEADLINE_MS = 120_000;

/** Starts the detached supervisor, relays its start-up events, and lets it go once the stack is ready. */
export async function spawnSupervisor(project: Project, onEvent: EventSink): Promise<void> {
  assertLogsWritable(join(project.home, "logs"));
  const logPath = join(project.home, "logs", "supervisor.log");
  rotateIfFull(logPath); // services' logs rotate as they are written; this one at each start
  const child = spawnDetached(new URL("./supervisor.js", import.meta.url), logPath, project.root, basename(project.root));
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
  child.send(plan);
  const outcome = await new Promise<ZeroError | undefined>((resolve) => {
    let failure: ZeroError | undefined;
    child.on("message", (message: SupervisorMessage) => {
      if (message.type === "event") onEvent(message.event);
      else if (message.type === "ready") resolve(undefined);
      else failure = fromJSON(message.error as Parameters<typeof fromJSON>[0]);
    });
    // After a failure the supervisor stops what it started, then exits: wait for that.
    child.once("exit", (code) => {
      resolve(
        failure ??
          new ZeroError("ZERO_SUPERVISOR_UNREACHABLE", `The supervisor exited during start-up (exit code ${code}).`, {
            next: `Read ${logPath}, then run \`make dev\` again.`,
          }),
      );
    });
  });
  if (outcome) throw outcome;
  child.removeAllListeners();
  child.disconnect();
  child.unref();
}

/**
 * The one control API client (@zero/contracts/control-client), for the supervisor the state file records. Its plain
 * calls go over node:http (jsonFetch: no undici to load); `streams: true` for a followed stream (the global fetch).
 */
export function controlClient(state: StackState, { streams = false } = {}): ControlClient {
  const url = `http://127.0.0.1:${state.supervisor.controlPort}`;
  return createControlClient({ url, token: state.supervisor.token, ...(streams ? {} : { fetch: jsonFetch }) });
}
