import type { ApiHealth } from "../lib/readiness";
import { ServiceCard } from "./ServiceCard";

/** The API and its two dependencies as the API itself sees them (from /health/ready). */
export function ApiHealthPanel({ health, apiUrl }: { health: ApiHealth; apiUrl: string }) {
  if (health.kind === "loading") return <p className="text-slate-600">Checking the API at {apiUrl}…</p>;
  const checked = health.checkedAt.toLocaleTimeString();
  if (health.kind === "unreachable") {
    return (
      <ServiceCard
        testId="card-api"
        name="API"
        state="unreachable"
        facts={[{ label: "URL", value: apiUrl }, { label: "Checked", value: checked }]}
        detail={`API unreachable: ${health.error}`}
      />
    );
  }
  const { readiness, responseMs } = health;
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <ServiceCard
        testId="card-api"
        name="API"
        state={readiness.status === "ready" ? "ready" : "not_ready"}
        facts={[
          { label: "Response", value: <span data-testid="api-response-ms">{responseMs} ms</span> },
          { label: "Checked", value: checked },
          { label: "URL", value: apiUrl },
        ]}
      />
      <ServiceCard testId="card-database" name="Database" state={readiness.database} facts={[{ label: "Engine", value: "PostgreSQL" }]} detail={readiness.errors?.database} />
      <ServiceCard testId="card-cache" name="Cache" state={readiness.cache} facts={[{ label: "Engine", value: "Redis" }]} detail={readiness.errors?.cache} />
    </div>
  );
}
