import { describe, expect, it } from "vitest";
import type { StackEvent } from "../../src/orchestrate/events.js";
import { startAll, type ServiceDriver } from "../../src/orchestrate/start-all.js";
import type { Service } from "../../src/stack/schema.js";

// Pure scheduling logic: a driver made of promises stands in for processes here.
// The real-process behaviour is covered by test/integration.

const service = (name: string, depends_on: Record<string, "started" | "healthy"> = {}, healthy = true): Service => ({
  name,
  kind: "node",
  description: "",
  profiles: ["full"],
  command: ["x"],
  ports: {},
  env: {},
  depends_on: Object.fromEntries(Object.entries(depends_on).map(([name, condition]) => [name, { condition, restart: false }])),
  restart: "no",
  start_early: false,
  watch: [],
  urls: {},
  healthcheck: healthy ? { type: "tcp", port: "p", interval_ms: 1, timeout_ms: 50, restart_after: 0 } : undefined,
});

function driver(probeResults: Record<string, (attempt: number) => boolean>, starts: string[]): ServiceDriver {
  const attempts = new Map<string, number>();
  return {
    start: async (s) => void starts.push(s.name),
    exited: () => new Promise(() => {}),
    probe: (s) =>
      s.healthcheck
        ? async () => {
            const n = (attempts.get(s.name) ?? 0) + 1;
            attempts.set(s.name, n);
            if (!(probeResults[s.name]?.(n) ?? true)) throw Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
          }
        : undefined,
    logTail: async () => ["last line"],
  };
}

const run = (services: Service[], d: ServiceDriver, deadlineMs = 2000) => {
  const events: StackEvent[] = [];
  const promise = startAll(Object.fromEntries(services.map((s) => [s.name, s])), d, {
    deadlineMs,
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
  });
  return { promise, events };
};

describe("startAll", () => {
  it("starts independent services together and dependents only after their dependencies are healthy", async () => {
    const starts: string[] = [];
    const { promise, events } = run(
      [service("api", { db: "healthy", cache: "healthy" }), service("db"), service("cache"), service("web", { api: "started" }, false)],
      driver({ db: (n) => n >= 3 }, starts),
    );
    await promise;
    expect(starts.slice(0, 2).sort()).toEqual(["cache", "db"]);
    expect(starts.slice(2)).toEqual(["api", "web"]);
    const waiting = events.filter((e) => e.type === "waiting");
    expect(waiting[0]).toMatchObject({ service: "api", on: "db", condition: "healthy", reason: "connection refused (service down)" });
    expect(events.filter((e) => e.type === "healthy").map((e) => e.service)).toContain("api");
    expect(events.find((e) => e.type === "started")).toMatchObject({ service: "web" });
  });

  it("fails with the first failure, its log tail and phase, and never starts dependents", async () => {
    const starts: string[] = [];
    const { promise, events } = run([service("db"), service("api", { db: "healthy" })], driver({ db: () => false }, starts), 200);
    const error = await promise.catch((e) => e);
    expect(error.code).toBe("ZERO_SERVICE_UNHEALTHY");
    expect(error.message).toMatch(/db did not become healthy.*connection refused/);
    expect(error.details).toContain("  last line");
    expect(starts).toEqual(["db"]);
    expect(events.filter((e) => e.type === "failed")).toHaveLength(1);
  });

  it("start_early: spawns the service at once and starts (releases) it only once its dependencies are healthy", async () => {
    const calls: string[] = [];
    const d = driver({ db: (n) => n >= 3 }, calls);
    d.spawnEarly = async (s) => void calls.push(`spawn ${s.name}`);
    const api = { ...service("api", { db: "healthy" }), start_early: true };
    const { promise, events } = run([service("db"), api], d);
    await promise;
    expect(calls).toEqual(["spawn api", "db", "api"]);
    const order = events.filter((e) => ["spawned", "starting", "healthy"].includes(e.type)).map((e) => `${e.type} ${"service" in e ? e.service : ""}`);
    expect(order).toEqual(["starting db", "spawned api", "healthy db", "starting api", "healthy api"]);
  });

  it("start_early under a driver without the capability (compose, kubernetes): started after its dependencies, as any other", async () => {
    const starts: string[] = [];
    const { promise, events } = run([service("db"), { ...service("api", { db: "healthy" }), start_early: true }], driver({}, starts));
    await promise;
    expect(starts).toEqual(["db", "api"]);
    expect(events.some((e) => e.type === "spawned")).toBe(false);
  });

  it("start_early: a service that exits before its dependencies are met fails the start at once, as itself", async () => {
    const d = driver({ db: () => false }, []);
    d.spawnEarly = async () => {};
    d.exited = (s) => (s.name === "api" ? Promise.resolve("exit code 3") : new Promise(() => {}));
    const error = await run([service("db"), { ...service("api", { db: "healthy" }), start_early: true }], d, 60_000).promise.catch((e) => e);
    expect(error.code).toBe("ZERO_SERVICE_FAILED");
    expect(error.message).toBe("api exited before its dependencies were met: exit code 3.");
    expect(error.details).toContain("  last line");
  });

  it("fails fast when a service exits during start-up instead of waiting for the deadline", async () => {
    const d = driver({ db: () => false }, []);
    d.exited = async () => "exit code 1";
    const began = Date.now();
    const error = await run([service("db")], d, 60_000).promise.catch((e) => e);
    expect(error.code).toBe("ZERO_SERVICE_FAILED");
    expect(error.message).toContain("db exited while starting: exit code 1");
    expect(Date.now() - began).toBeLessThan(5_000);
  });
});
