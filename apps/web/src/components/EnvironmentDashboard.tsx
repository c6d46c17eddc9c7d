import { cardState, type EnvironmentResult } from "../lib/environment";
import { formatBytes, formatNumber, formatUptime } from "../lib/format";
import { RestartButton } from "./RestartButton";
import { ServiceCard } from "./ServiceCard";

/** One card per service of the stack (state, health, check latency, uptime, CPU, memory, URL) and a restart button. */
export function EnvironmentDashboard({ result, apiUrl, pollMs, onRefresh }: {
  result: EnvironmentResult;
  apiUrl: string;
  pollMs: number;
  onRefresh: () => void;
}) {
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-600">
        <span aria-live="polite" data-testid="environment-summary">{summary(result)}</span>
        <span>Refreshes every {Math.round(pollMs / 1000)} s.</span>
        <button
          type="button"
          onClick={onRefresh}
          data-testid="refresh"
          className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600"
        >
          Refresh now
        </button>
      </div>
      {result.kind === "answered" && (
        <div className="grid gap-4 md:grid-cols-2">
          {result.environment.services.map((service) => (
            <ServiceCard
              key={service.name}
              testId={`service-${service.name}`}
              name={service.name}
              state={cardState(service)}
              detail={service.error}
              facts={[
                { label: "State", value: service.state },
                { label: "Health", value: service.health },
                { label: "Check", value: formatNumber(service.latencyMs, " ms") },
                { label: "Uptime", value: formatUptime(service.uptimeSeconds) },
                { label: "CPU", value: formatNumber(service.cpuPercent, " %") },
                { label: "Memory", value: formatBytes(service.memoryBytes) },
                { label: "URL", value: service.url ?? "—" },
              ]}
              actions={
                result.environment.supervisor.state === "connected" ? (
                  <RestartButton apiUrl={apiUrl} service={service.name} onDone={onRefresh} />
                ) : undefined
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}

function summary(result: EnvironmentResult): string {
  switch (result.kind) {
    case "loading":
      return "Reading the environment…";
    case "unreachable":
      return `The environment endpoint does not answer: ${result.error}`;
    case "answered": {
      const { environment, responseMs, checkedAt } = result;
      const unhealthy = environment.services.filter((s) => cardState(s) !== "healthy").map((s) => s.name);
      const state = unhealthy.length === 0 ? "All services healthy" : `Needs attention: ${unhealthy.join(", ")}`;
      const supervisor = environment.supervisor.state === "connected" ? "" : ` (supervisor ${environment.supervisor.state}: restart unavailable)`;
      return `${state}. API answered in ${responseMs} ms at ${checkedAt.toLocaleTimeString()}${supervisor}.`;
    }
  }
}
