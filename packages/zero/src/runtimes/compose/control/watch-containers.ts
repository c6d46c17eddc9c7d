import { join, relative } from "node:path";
import picomatch from "picomatch";
import type { ReloadRequest } from "../../../watch/rules.js";
import { describeFiles, watchStack, type StackWatch } from "../../../watch/watch-stack.js";
import type { DockerClient } from "../../../docker/docker-client.js";
import type { ControlPlan } from "./control-plan.js";
import type { DockerBackend } from "./docker-backend.js";

/**
 * Under Compose the control server runs the stack's watch rules with the same watcher as the native supervisor
 * (Compose v1 has no watch; the v2 file also carries them as develop.watch for `docker compose watch`). restart:
 * `docker restart` and its followers; rebuild: the build_command inside the container (its sources are mounted), then
 * a restart; sync: `docker cp` of the changed files, then the restart or command the rule asks for.
 */
export function watchContainers(
  plan: ControlPlan,
  backend: DockerBackend,
  onProblem: (message: string) => void,
): StackWatch {
  const services = Object.values(plan.services);
  return watchStack({
    root: plan.root,
    home: plan.home,
    services,
    reload: (request) => reload(plan, backend, request),
    onProblem: (message) => {
      onProblem(message);
      for (const service of services.filter((s) => s.watch.length > 0)) backend.note(service.name, `[zero] ${message}`);
    },
  });
}

async function reload(plan: ControlPlan, backend: DockerBackend, request: ReloadRequest): Promise<void> {
  const { service: name } = request;
  const log = (line: string) => backend.note(name, `[zero] watch: ${line}`);
  const changed = describeFiles(request.files);
  await backend.refresh();
  const container = backend.containerOf(name);
  if (!container || container.status !== "running") {
    log(`${changed} changed; ${name}'s container is ${container?.status ?? "missing"}, so it is left alone`);
    return;
  }
  if (request.action === "restart" && Date.parse(container.startedAt) > request.seenAt) {
    log(`${changed} changed; ${name} was restarted since (following what it depends on), so it runs them already`);
    return;
  }
  const began = Date.now();
  if (request.action === "sync") {
    await sync(plan, backend.docker, container.id, request, log);
    return;
  }
  if (request.action === "rebuild") {
    const command = plan.services[name]!.build_command!;
    log(`${changed} changed: building ${name} in its container (${command.join(" ")})`);
    const failure = await run(backend.docker, container.id, command, (line) => backend.note(name, `[build] ${line}`));
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
  const { result: restarted } = await backend.actions.run(name, "restart", () => backend.restartWithFollowers(name));
  const followers = restarted.length > 1 ? `; then ${restarted.slice(1).join(", ")}` : "";
  log(
    `${name} restarted in ${Date.now() - restartBegan} ms${followers} (${Date.now() - began} ms since the change was seen)`,
  );
}

/** Copies each changed file to the rule's target (its path below the glob's folder kept), then restarts or runs exec. */
async function sync(
  plan: ControlPlan,
  docker: DockerClient,
  id: string,
  request: ReloadRequest,
  log: (line: string) => void,
): Promise<void> {
  const began = Date.now();
  let restart = false;
  for (const { rule, files } of request.syncs) {
    for (const file of files) {
      const base =
        rule.path
          .map((glob) => picomatch.scan(glob).base)
          .find((folder) => !folder || file === folder || file.startsWith(`${folder}/`)) ?? "";
      const inside = base === file ? file.split("/").pop()! : relative(base || ".", file);
      const copied = await docker.copyInto(join(plan.root, file), id, `${rule.target!.replace(/\/$/, "")}/${inside}`);
      if (copied.exitCode !== 0) log(`cannot copy ${file}: ${copied.stderr.trim()}`);
    }
    restart ||= Boolean(rule.restart);
    if (rule.exec) {
      const failure = await run(docker, id, rule.exec, (line) => log(line));
      if (failure) log(`${rule.exec.join(" ")} failed (${failure})`);
    }
  }
  if (restart) await docker.restart(id);
  log(
    `synced ${describeFiles(request.files)} into ${request.service}${restart ? " and restarted it" : ""} in ${Date.now() - began} ms`,
  );
}

/** A command in the container, its output line by line; why it failed, or undefined. */
async function run(
  docker: DockerClient,
  id: string,
  command: string[],
  onLine: (line: string) => void,
): Promise<string | undefined> {
  const result = await docker.exec(id, command, { onLine });
  return result.exitCode === 0 ? undefined : `exit code ${result.exitCode}`;
}
