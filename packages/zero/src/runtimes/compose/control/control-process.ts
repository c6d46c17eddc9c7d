import { randomBytes } from "node:crypto";
import { type ControlClient, createControlClient } from "@zero/contracts/control-client";
import { controlAddress } from "@zero/contracts/control-endpoint";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../../../config/project.js";
import { scopedToken } from "../../../control/token-scopes.js";
import { ZeroError } from "../../../errors/zero-error.js";
import {
  type HelperRecord,
  helperRunning,
  logTailDetails,
  readHelperRecord,
  startHelper,
  stopHelper,
  whyNotReady,
  writeHelperRecord,
} from "../../../processes/helper-process.js";
import type { ControlMessage, ControlPlan } from "./control-plan.js";

/** Reading the containers and opening its socket take a second or two; Docker not answering takes longer. */
const READY_DEADLINE_MS = 60_000;

/** It closes its socket and exits on SIGTERM; SIGKILL after this. */
const STOP_GRACE_MS = 3_000;

/** Where the app containers find the control server: the mount folder, read-only. */
export const CONTAINER_CONTROL_DIR = "/run/zero";

/** Where a container finds its own scope's token: a second read-only mount holding that one file only. */
export const CONTAINER_TOKEN_DIR = "/run/zero-token";

/** What the app containers (the API, the dashboard's dev server) are given to reach the control API. */
export const CONTAINER_CONTROL_ENV = {
  ZERO_CONTROL_URL: `unix:${CONTAINER_CONTROL_DIR}/control.sock`,
  ZERO_CONTROL_TOKEN_FILE: `${CONTAINER_TOKEN_DIR}/token`,
};

/** The scopes a container may be given (as natively: `control: act` may act on services, every other one reads). */
export type ContainerScope = "read" | "act";

/** The host folder mounted at CONTAINER_TOKEN_DIR in a container of this scope. */
export function tokenMountDir(project: Project, scope: ContainerScope): string {
  return join(project.home, "control", "tokens", scope);
}

/**
 * <home>/control (0700: no other user of the host can enter it) holds the server's pid file and mount/ (0755),
 * which is bind-mounted into the app containers and holds the socket and the token.
 */
export function controlMountDir(project: Project): string {
  return join(project.home, "control", "mount");
}

/** Creates the folders and the token before the containers are created (their mount must exist). */
export function prepareControl(project: Project): void {
  const mount = controlMountDir(project);
  mkdirSync(mount, { recursive: true });
  chmodSync(join(project.home, "control"), 0o700);
  chmodSync(mount, 0o755);
  // The server's own token stays in the private folder; each container gets one derived from it in a folder of its
  // own scope, mounted alone: the API's holds a read token, only `control: act` containers (the dashboard's dev
  // server) see one that may act on services; none may stop the stack (docs/security.md). Kept while the
  // containers run: they read it at each call.
  const own = ownTokenFile(project);
  if (!existsSync(own)) writeFileSync(own, randomBytes(24).toString("base64url"), { mode: 0o600 });
  rmSync(join(mount, "token"), { force: true }); // where an earlier zero put the act token for every container
  for (const scope of ["read", "act"] as const) {
    const folder = tokenMountDir(project, scope);
    mkdirSync(folder, { recursive: true, mode: 0o755 });
    writeFileSync(join(folder, "token"), scopedToken(readFileSync(own, "utf8").trim(), scope), { mode: 0o644 });
  }
}

function ownTokenFile(project: Project): string {
  return join(project.home, "control", "token");
}

/** Starts the control server unless it already runs; resolves once it listens. */
export async function startControlServer(project: Project, projectName: string): Promise<void> {
  if (runningServer(project)) return;
  prepareControl(project);
  const mount = controlMountDir(project);
  const log = join(project.home, "logs", "compose-control.log");
  const plan: ControlPlan = {
    root: project.root,
    home: project.home,
    profile: project.profile,
    fingerprint: project.fingerprint,
    projectName,
    services: project.stack.services,
    secrets: project.secrets,
    token: readFileSync(ownTokenFile(project), "utf8").trim(),
    socketPath: join(mount, "control.sock"),
  };
  const start = await startHelper<ControlMessage, string>({
    entry: new URL("./compose-control.js", import.meta.url),
    logPath: log,
    cwd: project.root,
    label: projectName,
    plan,
    answer: (message) => (message.ready ? { ready: true } : { failed: message.error }),
    deadlineMs: READY_DEADLINE_MS,
  });
  if (!start.ready) {
    const why = start.why === "failed" ? start.failure : whyNotReady(start);
    throw new ZeroError(
      "ZERO_SERVICE_FAILED",
      `The compose control server (the dashboard's view of Docker) did not start: ${why}.`,
      {
        next: `Read ${log}; the containers run, \`make status runtime=compose\` works without it.`,
        details: start.why === "failed" ? [] : logTailDetails(start), // a failure it reports says why itself
      },
    );
  }
  writeHelperRecord(pidFile(project), start.helper);
}

/**
 * A client of the running control server over its socket, with the server's own token (the CLI is the stack's
 * owner); undefined when it does not run. `zero restart|stop|start` go through it: its per-service queue is the one
 * the dashboard's and watch rules' actions wait in.
 */
export function controlServerClient(project: Project): ControlClient | undefined {
  if (!runningServer(project)) return undefined;
  const address = controlAddress({
    ZERO_CONTROL_URL: `unix:${join(controlMountDir(project), "control.sock")}`,
    ZERO_CONTROL_TOKEN_FILE: ownTokenFile(project),
  });
  return address && createControlClient(address);
}

/** Stops the control server (if it runs) and removes its folder; resolves once it has exited. */
export async function stopControlServer(project: Project): Promise<void> {
  await stopHelper(runningServer(project), { graceMs: STOP_GRACE_MS });
  rmSync(join(project.home, "control"), { recursive: true, force: true });
}

function runningServer(project: Project): HelperRecord | undefined {
  const server = readHelperRecord(pidFile(project));
  return helperRunning(server) ? server : undefined;
}

function pidFile(project: Project): string {
  return join(project.home, "control", "server.json");
}
