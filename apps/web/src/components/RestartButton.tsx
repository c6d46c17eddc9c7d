import { useState } from "react";
import { restartService } from "../lib/environment";

type Phase = { kind: "idle" } | { kind: "pending" } | { kind: "failed"; error: string };

/** Restarts one service through the API; shows that it is waiting, and why it failed if it did. */
export function RestartButton({ apiUrl, service, onDone }: { apiUrl: string; service: string; onDone: () => void }) {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const restart = async () => {
    setPhase({ kind: "pending" });
    try {
      await restartService(apiUrl, service);
      setPhase({ kind: "idle" });
    } catch (error) {
      setPhase({ kind: "failed", error: error instanceof Error ? error.message : String(error) });
    }
    onDone();
  };
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        onClick={() => void restart()}
        disabled={phase.kind === "pending"}
        data-testid={`restart-${service}`}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 disabled:opacity-60"
      >
        {phase.kind === "pending" ? "Restarting…" : `Restart ${service}`}
      </button>
      {phase.kind === "failed" && (
        <p role="alert" className="text-sm text-red-800">
          Restart failed: {phase.error}
        </p>
      )}
    </div>
  );
}
