import { useCallback, useEffect, useMemo, useState } from "react";
import { AttentionPanel } from "./components/AttentionPanel";
import { ConfigView } from "./components/ConfigView";
import { DependencyGraph } from "./components/DependencyGraph";
import { type LogFilters, LogViewer } from "./components/LogViewer";
import { OtherStacks } from "./components/OtherStacks";
import { RestartAllButton } from "./components/RestartAllButton";
import { ServiceTable } from "./components/ServiceTable";
import { TracesPanel } from "./components/TracesPanel";
import { useDocumentStatus } from "./hooks/useDocumentStatus";
import { useLogStream } from "./hooks/useLogStream";
import { stackLabel, useStacks } from "./hooks/useStacks";
import { useStatusStream } from "./hooks/useStatusStream";
import { useUrlState } from "./hooks/useUrlState";
import { pageServer } from "./lib/control";
import { devlog } from "./lib/devlog";
import type { StreamState } from "./lib/event-stream";
import { dependencyOrder, overallState, type Overall } from "./lib/status";

const HEADLINES: Record<Overall, string> = {
  healthy: "Zero-to-Running Environment - Ready!",
  starting: "Zero-to-Running Environment - Starting",
  degraded: "Zero-to-Running Environment - Needs attention",
  failed: "Zero-to-Running Environment - A service failed",
  unknown: "Zero-to-Running Environment - Connecting",
};

/** The environment's control room: read from and driven through the orchestrator, never through the API. */
export function App() {
  devlog.render("App");
  const { status, state, error, usage } = useStatusStream();
  const logs = useLogStream();
  const overall = overallState(status);
  const stacks = useStacks();
  useDocumentStatus(overall, stacks && stackLabel(stacks.self));
  const now = useNow(1_000);
  const [service, setService] = useUrlState("service");
  const [level, setLevel] = useUrlState("level");
  const [search, setSearch] = useUrlState("q");
  const [wrap, setWrap] = useUrlState("wrap");
  const filters: LogFilters = { service, level, search, wrap: wrap === "1" };
  const onFilters = useCallback(
    (change: Partial<LogFilters>) => {
      if (change.service !== undefined) setService(change.service);
      if (change.level !== undefined) setLevel(change.level);
      if (change.search !== undefined) setSearch(change.search);
      if (change.wrap !== undefined) setWrap(change.wrap ? "1" : "");
    },
    [setService, setLevel, setSearch, setWrap],
  );
  const showLogs = (name: string) => {
    setService(name);
    document.getElementById("logs-heading")?.scrollIntoView({ behavior: "smooth" });
    document.querySelector<HTMLElement>("[data-testid=log-lines]")?.focus({ preventScroll: true });
  };
  const names = useMemo(() => (status ? dependencyOrder(status.services) : []), [status]);

  return (
    <main className="mx-auto max-w-7xl px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="headline">
        {HEADLINES[overall]}
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="summary">
        {connectionText(state, error)}
        {status && ` Profile ${status.profile}, runtime ${status.runtime}.`}
      </p>
      {stacks && stacks.others.length > 0 && <OtherStacks stacks={stacks.others} />}
      {status && <AttentionPanel status={status} lines={logs.lines} />}
      <section aria-labelledby="services-heading" className="mt-8">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 id="services-heading" className="text-lg font-semibold">
            Services
          </h2>
          {status && <RestartAllButton order={names} pageServer={pageServer(status.services)} />}
        </div>
        {status ? (
          <ServiceTable status={status} usage={usage} now={now} onShowLogs={showLogs} />
        ) : (
          <p className="text-slate-600 dark:text-slate-400">{waitingText(state)}</p>
        )}
      </section>
      {status && (
        <section aria-labelledby="graph-heading" className="mt-10">
          <h2 id="graph-heading" className="mb-3 text-lg font-semibold">
            Dependencies
          </h2>
          <DependencyGraph status={status} onShowLogs={showLogs} />
        </section>
      )}
      <section aria-labelledby="logs-heading" className="mt-10">
        <h2 id="logs-heading" className="mb-3 text-lg font-semibold">
          Logs
        </h2>
        <LogViewer
          lines={logs.lines}
          dropped={logs.dropped}
          state={logs.state}
          services={names}
          filters={filters}
          onFilters={onFilters}
        />
      </section>
      {status && (
        <section aria-labelledby="traces-heading" className="mt-10">
          <h2 id="traces-heading" className="mb-3 text-lg font-semibold">
            Traces
          </h2>
          {status.profile.split("+").includes("traces") ? (
            <TracesPanel />
          ) : (
            <p className="text-slate-600 dark:text-slate-400" data-testid="traces-off">
              Off. <code>make dev traces=1</code> traces every request to the API through PostgreSQL and Redis.
            </p>
          )}
        </section>
      )}
      <details className="mt-10" data-testid="config-section">
        <summary className="cursor-pointer text-lg font-semibold">Configuration</summary>
        <div className="mt-3">
          {state === "no-supervisor" ? (
            <p>
              Run <code>make config</code>: without zero's control API the page cannot read it.
            </p>
          ) : (
            <ConfigView />
          )}
        </div>
      </details>
    </main>
  );
}

function connectionText(state: StreamState, error: string | undefined): string {
  switch (state) {
    case "live":
      return error ? `Live, but the orchestrator sent ${error}.` : "Live: every change shows as it happens.";
    case "connecting":
      return "Connecting to the orchestrator…";
    case "reconnecting":
      return `Lost the orchestrator (${error ?? "no answer"}); reconnecting…`;
    case "no-supervisor":
      return "No control API to talk to: this page controls stacks started with `make dev` (native or compose runtime).";
  }
}

function waitingText(state: StreamState): string {
  if (state !== "no-supervisor") return "Waiting for the first status…";
  return "The web app was started by hand, not by zero: there is no control API to read. Use make status and make logs, or start the stack with make dev.";
}

/** The current time, every `intervalMs`: uptimes count up between status pushes. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
