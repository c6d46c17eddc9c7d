import { useState } from "react";
import { serviceAction, type ServiceAction } from "../lib/control";

const PENDING: Record<ServiceAction, string> = { restart: "Restarting…", stop: "Stopping…", start: "Starting…" };

/**
 * Restart, stop or start one service through the orchestrator; says it is waiting, and why it failed if it did.
 * `confirm` asks first (the database: a stop or restart cuts every connection). `servesPage`: the service is this
 * page's own dev server, whose restart cuts the call that asked for it.
 */
export function ActionButton({
  service,
  action,
  confirm,
  servesPage = false,
}: {
  service: string;
  action: ServiceAction;
  confirm?: string;
  servesPage?: boolean;
}) {
  const [phase, setPhase] = useState<{ kind: "idle" | "pending" | "joined" } | { kind: "failed"; error: string }>({
    kind: "idle",
  });
  const run = async () => {
    if (confirm && !window.confirm(confirm)) return;
    setPhase({ kind: "pending" });
    try {
      const { joined } = await serviceAction(service, action, servesPage);
      setPhase({ kind: joined ? "joined" : "idle" });
    } catch (error) {
      setPhase({ kind: "failed", error: (error as Error).message });
    }
  };
  const label = `${action[0]!.toUpperCase()}${action.slice(1)}`;
  return (
    <span className="inline-flex flex-col items-end">
      <button
        type="button"
        onClick={() => void run()}
        disabled={phase.kind === "pending"}
        data-testid={`${action}-${service}`}
        aria-label={`${label} ${service}`}
        className="rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700"
      >
        {phase.kind === "pending" ? PENDING[action] : label}
      </button>
      {phase.kind === "joined" && (
        <span role="status" className="mt-1 max-w-48 text-xs text-slate-600 dark:text-slate-300">
          joined the {action} already in progress
        </span>
      )}
      {phase.kind === "failed" && (
        <span role="alert" className="mt-1 max-w-48 text-xs text-red-800 dark:text-red-300">
          {label} failed: {phase.error}
        </span>
      )}
    </span>
  );
}
