import type { ApiHealth, DependencyState } from "../lib/readiness";
import { ServiceCard } from "./ServiceCard";

/**
 * The API's own readiness check (/health/ready), timed from the browser: one card, because the Services below
 * already show PostgreSQL and Redis; here is what the API itself can reach, and how fast it answers.
 */
export function ApiHealthPanel({ health, apiUrl }: { health: ApiHealth; apiUrl: string }) {
  if (health.kind === "loading") return <p className="text-slate-600">Checking the API at {apiUrl}…</p>;
  const checked = health.checkedAt.toLocaleTimeString();
  if (health.kind === "unreachable") {
    return (
      <ServiceCard
        testId="card-api"
        name="API readiness"
        state="unreachable"
        facts={[{ label: "URL", value: apiUrl }, { label: "Checked", value: checked }]}
        detail={`API unreachable: ${health.error}`}
      />
    );
  }
  const { readiness, responseMs } = health;
  const errors = Object.entries(readiness.errors ?? {}).map(([name, error]) => `${name}: ${error}`);
  return (
    <div className="max-w-md">
      <ServiceCard
        testId="card-api"
        name="API readiness"
        state={readiness.status === "ready" ? "ready" : "not_ready"}
        facts={[
          { label: "Response", value: <span data-testid="api-response-ms">{responseMs} ms</span> },
          { label: "Database", value: <Dependency state={readiness.database} testId="api-database" /> },
          { label: "Cache", value: <Dependency state={readiness.cache} testId="api-cache" /> },
          { label: "Checked", value: checked },
          { label: "URL", value: apiUrl },
        ]}
        detail={errors.length > 0 ? errors.join("; ") : undefined}
      />
    </div>
  );
}

function Dependency({ state, testId }: { state: DependencyState; testId: string }) {
  return <span data-testid={testId}>{state === "disabled" ? "not configured" : state}</span>;
}
