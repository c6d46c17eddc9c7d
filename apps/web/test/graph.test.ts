import type { StackService } from "@zero/contracts/control";
import { describe, expect, it } from "vitest";
import { conditionMet, layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "../src/lib/graph";

const service = (
  state: StackService["state"],
  health: StackService["health"],
  dependsOn: StackService["dependsOn"] = {},
) =>
  ({ state, health, dependsOn, ports: {}, urls: {}, restarts: 0, pid: 1, startedAt: "", kind: "node" }) as StackService;

/** No two nodes' boxes overlap: the graph stays readable. */
function overlaps(nodes: { x: number; y: number }[]): number {
  let count = 0;
  for (const [index, a] of nodes.entries())
    for (const b of nodes.slice(index + 1))
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) count++;
  return count;
}

describe("the dashboard's dependency graph", () => {
  it("lays out the default stack with dependencies above their dependents and each edge's condition", () => {
    const graph = layoutGraph({
      postgres: service("running", "healthy"),
      redis: service("running", "healthy"),
      api: service("running", "healthy", { postgres: "healthy", redis: "healthy" }),
      web: service("running", "healthy", { api: "started" }),
    });
    const y = Object.fromEntries(graph.nodes.map((node) => [node.name, node.y]));
    expect(y.postgres).toBeLessThan(y.api!);
    expect(y.api).toBeLessThan(y.web!);
    expect(overlaps(graph.nodes)).toBe(0);
    expect(graph.edges.map((edge) => `${edge.from}->${edge.to}:${edge.condition}`).sort()).toEqual([
      "api->postgres:healthy",
      "api->redis:healthy",
      "web->api:started",
    ]);
    expect(graph.edges.every((edge) => !edge.waiting && edge.path.startsWith("M"))).toBe(true);
  });

  it("marks what a starting service waits for, by its condition", () => {
    const graph = layoutGraph({
      postgres: service("running", "unknown"),
      redis: service("running", "healthy"),
      api: service("pending", "unknown", { postgres: "healthy", redis: "healthy" }),
      web: service("pending", "unknown", { api: "started" }),
    });
    const waitedOn = Object.fromEntries(graph.nodes.map((node) => [node.name, node.waitedOnBy]));
    expect(waitedOn).toEqual({ postgres: ["api"], redis: [], api: ["web"], web: [] });
    expect(conditionMet(service("running", "unknown"), "started")).toBe(true);
    expect(conditionMet(service("running", "unknown"), "healthy")).toBe(false);
    expect(conditionMet(service("stopped", "healthy"), "started")).toBe(false);
  });

  it("keeps 20 services apart and drops dependencies outside the profile", () => {
    const services: Record<string, StackService> = { db: service("running", "healthy", { outside: "healthy" }) };
    for (let index = 1; index < 20; index++)
      services[`svc-${index}`] = service(
        "running",
        "healthy",
        index % 3 === 0 ? { db: "healthy", [`svc-${index - 1}`]: "started" } : { db: "healthy" },
      );
    const graph = layoutGraph(services);
    expect(graph.nodes).toHaveLength(20);
    expect(overlaps(graph.nodes)).toBe(0);
    expect(graph.edges.some((edge) => edge.to === "outside")).toBe(false);
    // Left to right: it grows down the page, not 20 boxes wide.
    expect(graph.width).toBeLessThan(4 * NODE_WIDTH);
  });
});
