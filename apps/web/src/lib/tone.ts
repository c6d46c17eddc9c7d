/** How a state reads on a badge (StatusBadge): its colour and mark. */
export type Tone = "good" | "bad" | "warn" | "idle";

const statesByTone: [Tone, Set<string>][] = [
  ["good", new Set(["ok", "healthy", "ready", "running"])],
  ["bad", new Set(["error", "unhealthy", "failed", "not_ready", "unreachable"])],
  ["warn", new Set(["restarting", "starting", "stopping", "stopped"])],
];

/** ok → good, error/unhealthy → bad, restarting/stopped → warn, disabled/unknown → idle. */
export function toneOf(state: string): Tone {
  return statesByTone.find(([, states]) => states.has(state))?.[0] ?? "idle";
}
