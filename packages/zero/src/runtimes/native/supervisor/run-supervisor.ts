import { mkdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ownLog as log } from "../../../processes/own-log.js";
import type { DownResult } from "@zero/contracts/control";
import { isZeroError, toJSON, ZeroError } from "../../../errors/zero-error.js";
import { ChangeFeed } from "../../../control/changes.js";
import { ControlApi } from "../../../control/control-api.js";
import { checkAllHealth, monitorHealth } from "./health-monitor.js";
import type { Plan, SupervisorMessage } from "./plan.js";
import { processStartTime } from "../../../processes/process-info.js";
import { addRoutes } from "./routes.js";
import { otherLiveSupervisor, removeState, StateWriter, writeState, type StackState } from "./state-file.js";
import { Supervisor } from "./supervisor.js";
import { maskDeep } from "../../../config/mask.js";

/**
 * The detached supervisor process. The CLI spawns it, sends the plan over IPC, relays its
 * events until the stack is ready, then disconnects; from then on only the control API talks to it.
 */
function main() {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {}); // see log()
  process.once("message", (plan: Plan) => void run(plan));
  // These two lines time the start's first third (`make bench` prints them): this process loaded, then the CLI done.
  log("loaded, waiting for the plan");
}

async function run(plan: Plan) {
  log(`plan received: ${Object.keys(plan.services).length} services, profile ${plan.profile}`);
  const send = (message: SupervisorMessage) => {
    if (process.connected) process.send!(message);
  };
  // Never two supervisors on one home (the CLI's lifecycle lock prevents it; this holds even without the CLI).
  const other = otherLiveSupervisor(plan.home);
  if (other) {
    const busy = new ZeroError("ZERO_STACK_BUSY", `A supervisor (pid ${other}) already runs the stack in ${plan.home}; this one started nothing.`);
    process.send!({ type: "failed", error: toJSON(busy) } satisfies SupervisorMessage, () => process.exit(6));
    return;
  }
  const startup = new AbortController();
  const api = new ControlApi();
  // The tokens reach the apps' environment: never let one into a log.
  plan.secrets.push(api.token, api.tokenFor("act"), api.tokenFor("read"));
  let stopping: Promise<string[]> | undefined;
  let stopMonitor = () => {};
  let stopWatching = async () => {};

  const supervisor = new Supervisor(plan, (event) => {
    // Masked before it is serialised: a secret holding `"` or `\` would escape a mask applied to the JSON text.
    const masked = maskDeep(event, supervisor.mask);
    log(JSON.stringify(masked));
    // Each failed try of a health check (every 10-100 ms while a service starts) stays in this log: the CLI prints
    // none of them (cli/output.ts), and sending each cost both processes CPU while the stack starts.
    if (masked.type !== "probe-failed") send({ type: "event", event: masked });
  }, () => save());

  const controlPort = await api.listen();
  // Apps (the API's environment endpoints) reach the supervisor with these.
  // Each gets a token for what it needs (the dashboard's server acts on services; the API and Prometheus read):
  // only the CLI's, in the private state file, stops the stack.
  supervisor.appEnv = (scope) => ({ ZERO_CONTROL_URL: `http://127.0.0.1:${controlPort}`, ZERO_CONTROL_TOKEN: api.tokenFor(scope) });
  // For the developer's own programs (the API's log relay asks for it): private, in the stack's 0700 run folder.
  const runDir = join(plan.home, "run");
  const readTokenFile = join(runDir, "control-token-read");
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  writeFileSync(readTokenFile, api.tokenFor("read"), { mode: 0o600 });
  const startTime = processStartTime(process.pid) ?? ""; // read once: state() runs at every change
  const state = (): StackState => ({
    version: 1,
    runtime: "native",
    profile: plan.profile,
    fingerprint: plan.fingerprint,
    supervisor: { pid: process.pid, startTime, controlPort, token: api.token },
    services: Object.fromEntries([...supervisor.services].map(([name, managed]) => [name, managed.record])),
  });
  const changes = new ChangeFeed();
  const stateFile = new StateWriter(plan.home, (error) =>
    log(`cannot save the state file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`),
  );
  const save = () => {
    changes.notify(); // followers hear it now; the file gets the newest state once the write in flight is done
    stateFile.save(state); // a no-op once the stop has begun (it closes the writer)
  };

  /** One way down for every trigger (API, signal, failed start): stop services, clear state. */
  const stopEverything = () => {
    stopping ??= (async () => {
      const stateClosed = stateFile.close(); // no write from here on; one in flight lands before the file is removed
      startup.abort(new Error("shutting down"));
      stopMonitor();
      await stopWatching();
      const stopped = await supervisor.stopAll();
      await stateClosed;
      removeState(plan.home);
      // A stopped stack leaves no token behind (and no run folder, when nothing else is in it).
      rmSync(readTokenFile, { force: true });
      try {
        rmdirSync(runDir);
      } catch {}
      return stopped;
    })();
    return stopping;
  };
  const exit = async (exitCode: number) => {
    await api.close();
    process.exit(exitCode);
  };
  const shutdown = async (exitCode: number) => {
    await stopEverything();
    await exit(exitCode);
  };

  addRoutes(api, supervisor, state, () => checkAllHealth(supervisor, save), changes, () => stateFile.settled());
  api.route("POST", "/v1/down", async (_request, response): Promise<DownResult> => {
    const stopped = await stopEverything();
    response.once("finish", () => void exit(0)); // answer first, then go
    return { stopped, leftBehind: supervisor.leftBehind };
  });

  process.on("SIGTERM", () => void shutdown(0));
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGHUP", () => {});
  // A promise nobody awaited failed (one usage sample, one probe): logged and counted, never the end of the stack.
  process.on("unhandledRejection", (error) => {
    supervisor.metrics.unhandledRejections++;
    log(supervisor.mask(`unhandled rejection #${supervisor.metrics.unhandledRejections} (the stack keeps running): ${(error as Error)?.stack ?? String(error)}`));
  });
  // A thrown exception leaves our own state unknown (a broken invariant): stop every service on the way out, so
  // none is left orphaned.
  let crashed = false;
  process.on("uncaughtException", (error) => {
    if (crashed) return; // once: a handler that fails again must not loop (it spun at 100 % CPU on a full disk)
    crashed = true;
    log(supervisor.mask(`internal error, stopping the stack: ${(error as Error)?.stack ?? String(error)}`));
    void shutdown(70);
  }); // the terminal that started us may close
  // The CLI went away before the stack was ready (e.g. Ctrl-C): leave nothing half-running.
  process.on("disconnect", () => {
    if (!ready) void shutdown(1);
  });

  let ready = false;
  writeState(plan.home, state());
  try {
    await supervisor.startAll(startup.signal);
    ready = true;
    stopMonitor = monitorHealth(supervisor, 2000, save);
    // Loaded only for a stack with watch rules: the default stack's supervisor starts without the watcher's code.
    if (Object.values(plan.services).some((service) => service.watch.length > 0)) {
      const { watchNative } = await import("./watch-reloads.js");
      const watch = watchNative(supervisor, (message) => log(message));
      stopWatching = watch.close;
      await watch.ready; // an edit right after `zero up` returns must not be missed
    }
    await stateFile.settled(); // `zero up` returns with every service's record on disk (status, down read it)
    send({ type: "ready" });
  } catch (error) {
    if (stopping) return; // aborted by a shutdown is not a failure
    const failure = isZeroError(error) ? error : new ZeroError("ZERO_INTERNAL", (error as Error).message, { cause: error });
    log(supervisor.mask(`start failed: ${failure.code} ${failure.message}`));
    send({ type: "failed", error: toJSON(failure) });
    await shutdown(1);
  }
}


main();
