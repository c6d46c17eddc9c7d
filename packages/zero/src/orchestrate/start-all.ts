import { describeFailure, ProbeTimeoutError, waitUntilHealthy } from "../health/wait.js";
import type { Probe } from "../health/probes.js";
import { diagnose } from "../errors/tool-failure.js";
import { isZeroError, ZeroError } from "../errors/zero-error.js";
import { startOrder } from "../stack/graph.js";
import type { Service } from "../stack/schema.js";
import type { EventSink, Phase } from "./events.js";

/** What a runtime must do for the orchestrator: launch one service and report its death. */
export interface ServiceDriver {
  /** Starts the service; resolves once it is launched (not yet healthy). For one launched by spawnEarly: releases it. */
  start(service: Service, signal: AbortSignal): Promise<void>;
  /**
   * The capability behind `start_early` (the native runtime has it; compose and kubernetes start such a service after
   * its dependencies, as any other): launches the service before its dependencies are met, told nothing yet.
   */
  spawnEarly?(service: Service, signal: AbortSignal): Promise<void>;
  /** Resolves if the service exits on its own, so a dead service fails fast instead of at the deadline. */
  exited(service: Service): Promise<string>;
  probe(service: Service): Probe | undefined;
  /** The last lines of the service's log, shown when it fails. */
  logTail(service: Service, lines: number): Promise<string[]>;
}

export interface StartOptions {
  deadlineMs: number;
  signal: AbortSignal;
  onEvent: EventSink;
}

interface Milestones {
  started: Promise<void>;
  healthy: Promise<void>;
}

/**
 * Starts services in dependency order, independent ones in parallel, each gated on its
 * dependencies' conditions. The first failure cancels the rest and is the one thrown.
 */
export async function startAll(services: Record<string, Service>, driver: ServiceDriver, options: StartOptions) {
  const deadline = Date.now() + options.deadlineMs;
  const cancel = new AbortController();
  const signal = AbortSignal.any([options.signal, cancel.signal]);
  const milestones = new Map<string, Milestones>();
  const lastProbe = new Map<string, { reason: string; attempt: number }>();
  const waitingOn = new Map<string, Set<string>>();
  let firstError: unknown;

  const run = async (service: Service, started: () => void): Promise<void> => {
    const early = Boolean(service.start_early && driver.spawnEarly);
    if (early) {
      await guard(service, "start", () => driver.spawnEarly!(service, signal));
      options.onEvent({ type: "spawned", service: service.name });
    }
    const dependencies = Promise.all(
      Object.entries(service.depends_on).map(async ([name, { condition }]) => {
        waitingOn.set(name, (waitingOn.get(name) ?? new Set()).add(service.name));
        const probe = lastProbe.get(name);
        if (probe) options.onEvent({ type: "waiting", service: service.name, on: name, condition, ...probe });
        await milestones.get(name)![condition === "healthy" ? "healthy" : "started"];
        waitingOn.get(name)!.delete(service.name);
      }),
    );
    if (early) await guard(service, "start", () => untilMetOrDead(service, dependencies));
    else await dependencies;
    signal.throwIfAborted();
    const began = Date.now();
    options.onEvent({ type: "starting", service: service.name });
    await guard(service, "start", () => driver.start(service, signal));
    started();
    const probe = driver.probe(service);
    if (!probe) {
      options.onEvent({ type: "started", service: service.name, ms: Date.now() - began });
      return;
    }
    const check = service.healthcheck!;
    const died = driver.exited(service).then((reason) => {
      throw new ZeroError("ZERO_SERVICE_FAILED", `${service.name} exited while starting: ${reason}.`);
    });
    died.catch(() => {});
    await guard(service, "health", () =>
      Promise.race([
        died,
        waitUntilHealthy(probe, {
          intervalMs: check.interval_ms,
          timeoutMs: check.timeout_ms,
          deadline,
          signal,
          onAttemptFailed: (reason, attempt) => {
            lastProbe.set(service.name, { reason, attempt });
            options.onEvent({ type: "probe-failed", service: service.name, reason, attempt });
            for (const dependent of waitingOn.get(service.name) ?? []) {
              const { condition } = services[dependent]!.depends_on[service.name]!;
              options.onEvent({ type: "waiting", service: dependent, on: service.name, condition, reason, attempt });
            }
          },
        }),
      ]),
    );
    options.onEvent({ type: "healthy", service: service.name, ms: Date.now() - began });
  };

  /** The dependencies met, or a start_early service that died before that: its failed start (its output shown). */
  const untilMetOrDead = async (service: Service, dependencies: Promise<unknown>) => {
    let met = false;
    const died = driver.exited(service).then((reason) => {
      if (!met) throw new ZeroError("ZERO_SERVICE_FAILED", `${service.name} exited before its dependencies were met: ${reason}.`);
    });
    died.catch(() => {});
    try {
      await Promise.race([dependencies, died]);
    } finally {
      met = true;
    }
  };

  const guard = async (service: Service, phase: Phase, step: () => Promise<unknown>) => {
    try {
      await step();
    } catch (error) {
      if (signal.aborted) throw error; // shutdown, or another service failed first: not this one's failure
      const failure = await toServiceError(service, phase, error, driver);
      firstError ??= failure;
      options.onEvent({ type: "failed", service: service.name, phase, reason: failure.message });
      cancel.abort(failure);
      throw failure;
    }
  };

  // Dependencies first, so each service's milestones exist before a dependent looks them up.
  for (const service of startOrder(services)) {
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const healthy = run(service, markStarted);
    const startedOrFailed = Promise.race([started, healthy]);
    // Failures are collected below; these copies must not surface as unhandled rejections.
    healthy.catch(() => {});
    startedOrFailed.catch(() => {});
    milestones.set(service.name, { started: startedOrFailed, healthy });
  }
  const results = await Promise.allSettled([...milestones.values()].map((m) => m.healthy));
  if (firstError !== undefined) throw firstError;
  options.signal.throwIfAborted();
  const rejected = results.find((result) => result.status === "rejected");
  if (rejected) throw (rejected as PromiseRejectedResult).reason;
}

async function toServiceError(service: Service, phase: Phase, error: unknown, driver: ServiceDriver) {
  const tail = await driver.logTail(service, 20).catch(() => []);
  const details = tail.length > 0 ? [`Last ${tail.length} log lines of ${service.name}:`, ...tail.map((l) => `  ${l}`)] : [];
  // The service's own words name the cause more often than the probe does (a port taken, a folder it may not write).
  const known = diagnose(tail);
  const why = known?.why;
  const next = known?.next ?? `Run \`make logs service=${service.name}\` for the whole log, fix the cause, then \`make dev\` again.`;
  if (error instanceof ProbeTimeoutError) {
    return new ZeroError("ZERO_SERVICE_UNHEALTHY", `${service.name} did not become healthy: ${error.message}.`, {
      why,
      details,
      next,
      cause: error,
    });
  }
  if (isZeroError(error)) {
    // Keep the original error; add the log tail when it has no details of its own.
    return error.details.length > 0 ? error : new ZeroError(error.code, error.message, { why: error.why, next, details, cause: error });
  }
  const what = `${service.name} failed to ${phase}: ${describeFailure(error)}.`;
  return new ZeroError("ZERO_SERVICE_FAILED", what, { why, details, next, cause: error });
}
