import { setTimeout as sleep } from "node:timers/promises";
import type { Project } from "../../config/project.js";
import type { DockerClient } from "../../docker/docker-client.js";
import { ZeroError } from "../../errors/zero-error.js";
import { probeFor } from "../../health/probes.js";
import { kindOf } from "../../kinds/index.js";
import type { EventSink } from "../../orchestrate/events.js";
import type { ServiceDriver } from "../../orchestrate/start-all.js";
import type { Service } from "../../stack/schema.js";
import type { Container } from "./containers.js";
import { lastLines } from "./last-lines.js";

/** Launches created containers one by one; the orchestrator gates them exactly as in native. */
export class ContainerDriver implements ServiceDriver {
  private readonly closed = new AbortController();

  constructor(
    private readonly docker: DockerClient,
    private readonly project: Project,
    private readonly containers: Container[],
    private readonly onEvent: EventSink,
  ) {}

  async start(service: Service): Promise<void> {
    const { id } = this.container(service);
    const result = await this.docker.start(id);
    if (result.exitCode !== 0)
      throw new Error(this.project.mask(result.stderr.trim() || `docker start exited with ${result.exitCode}`));
    const script = kindOf(service).container.postStart;
    if (script) await this.postStart(service, id, script);
  }

  /** The kind's start-up step inside the container (postgres: apply a rotated password); its failure ends the start at once. */
  private async postStart(service: Service, id: string, script: string): Promise<void> {
    const result = await this.docker.exec(id, ["sh", "-c", script]);
    const output = this.project.mask(`${result.stdout}\n${result.stderr}`).trim();
    if (result.exitCode === 0) {
      if (output) this.onEvent({ type: "note", message: `${service.name}: ${output}` });
      return;
    }
    throw new ZeroError(
      "ZERO_SERVICE_FAILED",
      `${service.name}: its start-up step in the container failed (exit code ${result.exitCode}).`,
      {
        why:
          kindOf(service).container.postStartFailure?.why ??
          "The step that prepares the service inside its container did not succeed.",
        next: kindOf(service).container.postStartFailure?.next ?? "Read the output below and fix its cause.",
        details: lastLines(output, 10),
      },
    );
  }

  /** Resolves when the container exits, or Docker keeps restarting it (restart: on-failure). */
  async exited(service: Service): Promise<string> {
    const { id } = this.container(service);
    while (!this.closed.signal.aborted) {
      await sleep(500, undefined, { signal: this.closed.signal }).catch(() => {});
      const [inspected] = (await this.docker.inspect([id])) ?? [];
      if (!inspected) continue; // no answer this time: asked again
      const { Status: status, ExitCode: code } = inspected.State;
      const restarts = inspected.RestartCount;
      if (status === "exited" || status === "dead") return `the container exited with code ${code}`;
      if (restarts >= 2) return `the container keeps exiting (code ${code}, restarted ${restarts} times)`;
    }
    return new Promise(() => {}); // closed: the stack is up, nothing more to report here
  }

  probe(service: Service) {
    return probeFor(service, this.project.root);
  }

  async logTail(service: Service, lines: number): Promise<string[]> {
    const result = await this.docker.logs(this.container(service).id, { tail: lines });
    return lastLines(this.project.mask(`${result.stdout}\n${result.stderr}`), lines);
  }

  close() {
    this.closed.abort();
  }

  private container(service: Service): Container {
    const container = this.containers.find((c) => c.service === service.name);
    if (!container) throw new Error(`Compose created no container for ${service.name}`);
    return container;
  }
}
