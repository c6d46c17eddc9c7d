import { withTimeout } from "../lib/with-timeout.js";

// A readiness check of one dependency: resolves when it answers, rejects with the reason when it does not;
// it should stop waiting when the signal aborts (its timeout).
export type Probe = (signal: AbortSignal) => Promise<void>;

export type DependencyState = "ok" | "error" | "disabled";

// The readiness answer, shaped like the /health/ready body.
export interface Readiness {
  status: "ready" | "not_ready";
  database: DependencyState;
  cache: DependencyState;
  errors?: Partial<Record<"database" | "cache", string>>;
}

// Runs every probe in parallel, each under its own timeout, so readiness answers in bounded time
// even when a dependency hangs; a missing probe is reported as "disabled", not as a failure.
export async function checkReadiness(
  probes: { database: Probe; cache: Probe | undefined },
  timeoutMs: number,
  mask: (text: string) => string,
): Promise<Readiness> {
  const errors: Readiness["errors"] = {};
  const run = async (name: "database" | "cache", probe: Probe | undefined): Promise<DependencyState> => {
    if (!probe) return "disabled";
    try {
      await withTimeout(probe, timeoutMs, `${name} check`);
      return "ok";
    } catch (error) {
      errors[name] = mask(describeError(error));
      return "error";
    }
  };
  const [database, cache] = await Promise.all([run("database", probes.database), run("cache", probes.cache)]);
  const ready = database === "ok" && cache !== "error";
  return { status: ready ? "ready" : "not_ready", database, cache, ...(ready ? {} : { errors }) };
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join("; ");
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
