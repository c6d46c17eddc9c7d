import { ApiHealthPanel } from "./components/ApiHealthPanel";
import { useApiHealth } from "./hooks/useApiHealth";
import { apiUrl, pollMs } from "./lib/config";
import type { ApiHealth } from "./lib/readiness";

/** Landing page: is the environment ready? Then the detail of each part. */
export function App() {
  const health = useApiHealth(apiUrl, Math.min(pollMs, 5000));
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
    </main>
  );
}

export function headline(health: ApiHealth): string {
  if (health.kind === "answered" && health.readiness.status === "ready") return "Zero-to-Running Environment - Ready!";
  return "Zero-to-Running Environment - Waiting for the API";
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
