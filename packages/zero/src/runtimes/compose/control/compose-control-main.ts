import { ownLog as log } from "../../../processes/own-log.js";
import { setTimeout as sleep } from "node:timers/promises";
import { createMasker } from "../../../config/mask.js";
import { scopedToken } from "../../../control/token-scopes.js";
import { ControlApi } from "../../../control/control-api.js";
import { addControlRoutes } from "../../../control/routes.js";
import type { ControlMessage, ControlPlan } from "./control-plan.js";
import { DockerCli } from "../../../docker/docker-cli.js";
import { DockerBackend } from "./docker-backend.js";

const POLL_MS = 2_000;
const DRAIN_MS = 2_500; // within the 3 s `zero down` gives us before SIGKILL

/**
 * The compose control server (dist/compose-control.js): a detached process on the host that `zero up` starts under Docker Compose and
 * `zero down` stops. It serves the control API (the same routes as the native supervisor's) on a Unix socket that
 * the app containers reach through a bind mount (docs/decisions/0018-compose-control-server-on-a-mounted-socket.md).
 */
function main() {
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  process.once("message", (plan: ControlPlan) => void run(plan));
}

async function run(plan: ControlPlan) {
  const stopped = new AbortController();
  const mask = createMasker([
    ...plan.secrets,
    plan.token,
    scopedToken(plan.token, "act"),
    scopedToken(plan.token, "read"),
  ]);
  const api = new ControlApi(plan.token);
  const backend = new DockerBackend(plan, mask, stopped.signal, new DockerCli());
  let stopWatching = async () => {};
  const exit = async (code: number) => {
    await stopWatching();
    // `zero down` stops us before it removes the containers: let a restart in flight finish (within bounds) first,
    // so it does not start a container behind the removal's back.
    backend.actions.close("the stack is stopping (make down)");
    await Promise.race([backend.actions.drain(), sleep(DRAIN_MS)]);
    stopped.abort();
    await api.close();
    process.exit(code);
  };
  process.on("SIGTERM", () => void exit(0));
  process.on("SIGINT", () => void exit(0));
  process.on("SIGHUP", () => {});
  for (const event of ["uncaughtException", "unhandledRejection"] as const) {
    process.once(event, (error) => {
      log(mask(`internal error: ${(error as Error)?.stack ?? String(error)}`));
      void exit(70);
    });
  }
  try {
    await backend.refresh();
    addControlRoutes(api, backend);
    await api.listen(plan.socketPath);
  } catch (error) {
    process.send?.({ ready: false, error: mask((error as Error).message) } satisfies ControlMessage);
    return exit(1);
  }
  if (Object.values(plan.services).some((service) => service.watch.length > 0)) {
    const { watchContainers } = await import("./watch-containers.js"); // only for a stack with watch rules
    const watch = watchContainers(plan, backend, (message) => log(message));
    stopWatching = watch.close;
    await watch.ready; // an edit right after `zero up` returns must not be missed
  }
  process.send?.({ ready: true } satisfies ControlMessage);
  log(`serving the control API of ${plan.projectName} on ${plan.socketPath}`);
  void backend.watchEvents();
  // Polled too: an event can be missed while `docker events` restarts. The project's containers gone (removed by
  // hand with `docker compose down`) ends this process: it never outlives the stack it reports on.
  let empty = 0;
  while (!stopped.signal.aborted) {
    await sleep(POLL_MS);
    empty = (await backend.refresh().catch(() => 1)) === 0 ? empty + 1 : 0;
    await backend.sampleUsage().catch(() => {});
    if (empty >= 2) {
      log(`the containers of ${plan.projectName} are gone: exiting`);
      return exit(0);
    }
  }
}

main();
