import { ApiHealthPanel } from "./components/ApiHealthPanel";
import { EnvironmentDashboard } from "./components/EnvironmentDashboard";
import { LogViewer } from "./components/LogViewer";
import { useApiHealth } from "./hooks/useApiHealth";
import { useEnvironment } from "./hooks/useEnvironment";
import { useLogStream } from "./hooks/useLogStream";
import { apiUrl, pollMs } from "./lib/config";
import { headline } from "./lib/headline";
import type { ApiHealth } from "./lib/readiness";

/** Landing page: is the environment ready? Then the detail of each part. */
export function App() {
  const health = useApiHealth(apiUrl, Math.min(pollMs, 5000));
  const [environment, refresh] = useEnvironment(apiUrl, pollMs);
  const logs = useLogStream(apiUrl);
  const services = environment.kind === "answered" ? environment.environment.services.map((s) => s.name) : [];
  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="headline">
        {headline(health)}
      </h1>
      <p className="mt-2 text-slate-600" aria-live="polite" data-testid="summary">
        {summary(health)}
      </p>
      <section aria-labelledby="health-heading" className="mt-8">
        <h2 id="health-heading" className="mb-3 text-lg font-semibold">
          API health
        </h2>
        <ApiHealthPanel health={health} apiUrl={apiUrl} />
      </section>
      <section aria-labelledby="services-heading" className="mt-10">
        <h2 id="services-heading" className="mb-3 text-lg font-semibold">
          Services
        </h2>
        <EnvironmentDashboard result={environment} apiUrl={apiUrl} pollMs={pollMs} onRefresh={refresh} />
      </section>
      <section aria-labelledby="logs-heading" className="mt-10">
        <h2 id="logs-heading" className="mb-3 text-lg font-semibold">
          Logs
        </h2>
        <LogViewer lines={logs.lines} state={logs.state} services={services} />
      </section>
    </main>
  );
}

function summary(health: ApiHealth): string {
  switch (health.kind) {
    case "loading":
      return "Checking the API…";
    case "unreachable":
      return `The API at ${apiUrl} does not answer: ${health.error}. Is the stack up? Run make status.`;
    case "answered":
      return health.readiness.status === "ready"
        ? `Every dependency answers. The API responded in ${health.responseMs} ms.`
        : "The API is up but a dependency is not ready: see below.";
  }
}
