import { once } from "node:events";
import { resolve } from "node:path";
import { launchGroup, stopGroup } from "../../../processes/process-group.js";
import { describeFiles, watchStack, type StackWatch } from "../../../watch/watch-stack.js";
import type { ReloadRequest } from "../../../watch/rules.js";
import { restartWithFollowers } from "./restart-followers.js";
import type { Supervisor } from "./supervisor.js";

/** Natively, the supervisor runs the stack's watch rules: one watcher, one reload at a time per service. */
export function watchNative(supervisor: Supervisor, onProblem: (message: string) => void): StackWatch {
  const services = Object.values(supervisor.plan.services);
  const builds = new Set<number>();
  const watch = watchStack({
    root: supervisor.plan.root,
    home: supervisor.plan.home,
    services,
    reload: (request) => reload(supervisor, request, builds),
    onProblem: (message) => {
      onProblem(message);
      for (const service of services.filter((s) => s.watch.length > 0))
        supervisor.logLine(service.name, `[zero] ${message}`);
    },
  });
  return {
    ready: watch.ready,
    close: async () => {
      // Builds first: closing waits for the reloads in progress, and a build can take long.
      await Promise.all([...builds].map((pgid) => stopGroup(pgid, "SIGTERM", 2_000)));
      await watch.close();
    },
  };
}

async function reload(supervisor: Supervisor, request: ReloadRequest, builds: Set<number>): Promise<void> {
  const { service: name } = request;
  const managed = supervisor.services.get(name);
  if (!managed || request.action === "sync") return; // sync is refused at load for services that run natively
  const log = (line: string) => supervisor.logLine(name, `[zero] watch: ${line}`);
  const changed = describeFiles(request.files);
  if (managed.record.state === "stopped" || managed.record.state === "pending") {
    log(`${changed} changed; ${name} is ${managed.record.state}, so it is left alone (zero start ${name})`);
    return;
  }
  if (request.action === "restart" && Date.parse(managed.record.startedAt) > request.seenAt) {
    log(`${changed} changed; ${name} was restarted since (following what it depends on), so it runs them already`);
    return;
  }
  const began = Date.now();
  if (request.action === "rebuild") {
    log(`${changed} changed: building ${name} (${managed.service.build_command!.join(" ")})`);
    const failure = await build(supervisor, name, builds);
    if (failure) {
      log(
        `build failed (${failure}) after ${Date.now() - began} ms: ${name} keeps running the previous version; fix the error above and save again`,
      );
      return;
    }
    log(`built in ${Date.now() - began} ms: restarting ${name}`);
  } else {
    log(`${changed} changed: restarting ${name}`);
  }
  const restartBegan = Date.now();
  // Queued like a restart from the dashboard: never two actions on one service at once.
  const { result: restarted } = await supervisor.actions.run(name, "restart", () =>
    restartWithFollowers(supervisor, name),
  );
  const health = managed.service.healthcheck ? `, ${managed.record.health}` : "";
  const followers = restarted.length > 1 ? `; then ${restarted.slice(1).join(", ")}` : "";
  log(
    `${name} restarted in ${Date.now() - restartBegan} ms${health}${followers} (${Date.now() - began} ms since the change was seen)`,
  );
}

/** Runs the service's build_command in its folder with its environment, its output into the service's log; why it failed, or undefined. */
async function build(supervisor: Supervisor, name: string, builds: Set<number>): Promise<string | undefined> {
  const managed = supervisor.services.get(name)!;
  const [command, ...args] = managed.service.build_command!;
  const child = launchGroup(
    {
      command: command!,
      args,
      cwd: resolve(supervisor.plan.root, managed.service.cwd ?? "."),
      env: managed.spec?.env ?? process.env,
      stopSignal: "SIGTERM",
    },
    (line) => supervisor.logLine(name, `[build] ${line}`),
  );
  try {
    await once(child, "spawn");
  } catch (error) {
    return `cannot run ${command}: ${(error as Error).message}`;
  }
  builds.add(child.pid!);
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  builds.delete(child.pid!);
  if (code === 0) return undefined;
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
