import { useState } from "react";
import { serviceAction } from "../lib/control";

/** Restarts every service one after another, dependencies first, each once the previous one is healthy again. */
export function RestartAllButton({ order, pageServer }: { order: readonly string[]; pageServer?: string }) {
  const [phase, setPhase] = useState<string>("");
  const run = async () => {
    if (!window.confirm(`Restart all ${order.length} services, the database included? Connections are cut meanwhile.`))
      return;
    try {
      for (const service of order) {
        setPhase(`Restarting ${service}…`);
        await serviceAction(service, "restart", service === pageServer);
      }
      setPhase("");
    } catch (error) {
      setPhase(`Restart all stopped: ${(error as Error).message}`);
    }
  };
  const busy = phase.endsWith("…");
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => void run()}
        disabled={busy}
        data-testid="restart-all"
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800"
      >
        Restart all
      </button>
      {phase && (
        <span role="status" className="text-sm">
          {phase}
        </span>
      )}
    </span>
  );
}
