import dagre from "@dagrejs/dagre";
import type { DependencyCondition } from "@zero/contracts/control";
import type { StackService } from "./status";

// The dependency graph the dashboard draws: services as nodes, each depends_on as an edge with its condition, laid
// out by dagre (top to bottom: what others wait for first). Which dependency a starting service still waits for
// comes from the live states, by the same rule the orchestrator starts by.

export interface GraphNode {
  name: string;
  x: number;
  y: number;
  /** Services that wait for this one now (pending or starting, and this one not yet started/healthy). */
  waitedOnBy: string[];
}

export interface GraphEdge {
  from: string;
  to: string;
  condition: DependencyCondition;
  /** `from` waits for `to` right now. */
  waiting: boolean;
  /** The edge's path through dagre's bend points, as an SVG path. */
  path: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 160;
export const NODE_HEIGHT = 76;
const LEFT_TO_RIGHT_FROM = 8;

/** Whether `dependency` satisfies a dependent's `condition` yet. */
export function conditionMet(dependency: StackService | undefined, condition: DependencyCondition): boolean {
  if (dependency?.state !== "running") return false;
  return condition === "started" || dependency.health === "healthy";
}

/** A service still on its way up (not yet launched, or launched and not yet checked). */
function comingUp(service: StackService): boolean {
  return service.state === "pending" || service.state === "starting";
}

export function layoutGraph(services: Record<string, StackService>): Graph {
  const graph = new dagre.graphlib.Graph();
  const names = Object.keys(services).sort();
  // Top to bottom reads best for a few services; a large stack would put a dozen in one row, so it flows left to
  // right instead and grows down the page, which scrolls anyway.
  const rankdir = names.length > LEFT_TO_RIGHT_FROM ? "LR" : "TB";
  graph.setGraph({ rankdir, nodesep: 20, ranksep: 56, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const name of names) graph.setNode(name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const edges: Omit<GraphEdge, "path">[] = [];
  for (const name of names) {
    const service = services[name]!;
    for (const [dependency, condition] of Object.entries(service.dependsOn).sort()) {
      if (!services[dependency]) continue; // outside this profile
      // Drawn from the dependency down to its dependent: the order things start in.
      graph.setEdge(dependency, name);
      edges.push({
        from: name,
        to: dependency,
        condition,
        waiting: comingUp(service) && !conditionMet(services[dependency], condition),
      });
    }
  }
  dagre.layout(graph);
  const nodes = names.map((name) => {
    const { x, y } = graph.node(name);
    return {
      name,
      x,
      y,
      waitedOnBy: edges.filter((edge) => edge.to === name && edge.waiting).map((edge) => edge.from),
    };
  });
  const laidOut = edges.map((edge) => ({
    ...edge,
    path: graph
      .edge(edge.to, edge.from)
      .points.map(
        (point: { x: number; y: number }, index: number) =>
          `${index === 0 ? "M" : "L"}${point.x.toFixed(1)},${point.y.toFixed(1)}`,
      )
      .join(" "),
  }));
  const { width = 0, height = 0 } = graph.graph();
  return { nodes, edges: laidOut, width, height };
}
