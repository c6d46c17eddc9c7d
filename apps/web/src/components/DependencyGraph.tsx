import { useMemo } from "react";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "../lib/graph";
import { serviceBadge, type StackStatus } from "../lib/status";
import { toneOf } from "../lib/tone";
import { StatusBadge } from "./StatusBadge";

const EDGE_COLOURS = { waiting: "stroke-amber-500", idle: "stroke-slate-400 dark:stroke-slate-500" };

/**
 * What waits on what: one button per service with its live state (laid out by dagre), one arrow per dependency
 * with its condition (solid: healthy, dashed: started). While a service starts, the one it waits for is ringed and
 * says so. A button shows that service's logs; its label reads the whole node to a screen reader.
 */
export function DependencyGraph({
  status,
  onShowLogs,
}: {
  status: StackStatus;
  onShowLogs: (service: string) => void;
}) {
  const graph = useMemo(() => layoutGraph(status.services), [status.services]);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white p-2 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <div className="relative" style={{ width: graph.width, height: graph.height }} data-testid="dependency-graph">
        <svg width={graph.width} height={graph.height} className="absolute inset-0" aria-hidden="true">
          <defs>
            {(["waiting", "idle"] as const).map((kind) => (
              <marker
                key={kind}
                id={`arrow-${kind}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path
                  d="M0,0 L10,5 L0,10 z"
                  className={kind === "waiting" ? "fill-amber-500" : "fill-slate-400 dark:fill-slate-500"}
                />
              </marker>
            ))}
          </defs>
          {graph.edges.map((edge) => {
            const kind = edge.waiting ? "waiting" : "idle";
            return (
              <g
                key={`${edge.from}-${edge.to}`}
                data-testid={`graph-edge-${edge.from}-${edge.to}`}
                data-condition={edge.condition}
                data-waiting={edge.waiting}
              >
                {/* From the dependency to its dependent: the arrow points at the one that waits. */}
                <path
                  d={edge.path}
                  fill="none"
                  strokeWidth={edge.waiting ? 2.5 : 1.5}
                  strokeDasharray={edge.condition === "started" ? "5 4" : undefined}
                  markerEnd={`url(#arrow-${kind})`}
                  className={EDGE_COLOURS[kind]}
                />
              </g>
            );
          })}
        </svg>
        {graph.edges.map((edge) => {
          const middle = midpoint(edge.path);
          return (
            <span
              key={`label-${edge.from}-${edge.to}`}
              aria-hidden="true"
              className={`absolute -translate-x-1/2 -translate-y-1/2 rounded bg-white px-1 text-[11px] leading-4 dark:bg-slate-900 ${edge.waiting ? "font-semibold text-amber-700 dark:text-amber-300" : "text-slate-500 dark:text-slate-400"}`}
              style={{ left: middle.x, top: middle.y }}
            >
              {edge.condition}
            </span>
          );
        })}
        {graph.nodes.map((node) => {
          const service = status.services[node.name]!;
          const badge = serviceBadge(service);
          const needs = Object.entries(service.dependsOn).map(([name, condition]) => `${name} (${condition})`);
          const waited = node.waitedOnBy.length > 0;
          const label = [
            `${node.name}: ${badge}.`,
            needs.length > 0 ? `Depends on ${needs.join(", ")}.` : "",
            waited ? `${node.waitedOnBy.join(", ")} ${node.waitedOnBy.length === 1 ? "waits" : "wait"} for it.` : "",
            "Show its logs.",
          ]
            .filter(Boolean)
            .join(" ");
          return (
            <button
              key={node.name}
              type="button"
              onClick={() => onShowLogs(node.name)}
              aria-label={label}
              title={label}
              data-testid={`graph-node-${node.name}`}
              data-state={badge}
              data-waited={waited}
              className={`absolute flex flex-col items-center justify-center gap-0.5 rounded-lg border bg-white px-2 text-sm shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:bg-slate-800 dark:hover:bg-slate-700 ${waited ? "border-amber-500 ring-2 ring-amber-400" : "border-slate-300 dark:border-slate-600"}`}
              style={{
                left: node.x - NODE_WIDTH / 2,
                top: node.y - NODE_HEIGHT / 2,
                width: NODE_WIDTH,
                height: NODE_HEIGHT,
              }}
            >
              <span className="max-w-full truncate font-medium">{node.name}</span>
              <StatusBadge tone={toneOf(badge)} label={badge} />
              {waited && (
                <span className="max-w-full truncate text-xs font-semibold text-amber-700 dark:text-amber-300">
                  waited on by {node.waitedOnBy.join(", ")}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** The point halfway along an "M x,y L x,y …" path's vertices: where the condition label sits. */
function midpoint(path: string): { x: number; y: number } {
  const points = [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((match) => ({
    x: Number(match[1]),
    y: Number(match[2]),
  }));
  return points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
}
