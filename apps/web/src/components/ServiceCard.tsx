import type { ReactNode } from "react";
import { toneOf } from "../lib/tone";
import { StatusBadge } from "./StatusBadge";

export interface Fact {
  label: string;
  value: ReactNode;
}

/** One service at a glance: its name, its state, and a few facts (latency, uptime, URL...). */
export function ServiceCard({ name, state, facts, detail, actions, testId }: {
  name: string;
  state: string;
  facts: Fact[];
  detail?: string;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <article data-testid={testId} aria-label={`${name}: ${state}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <header className="flex items-center justify-between gap-2">
        <h3 className="text-base font-semibold">{name}</h3>
        <StatusBadge tone={toneOf(state)} label={state} testId={testId ? `${testId}-state` : undefined} />
      </header>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        {facts.map((fact) => (
          <div key={fact.label} className="contents">
            <dt className="text-slate-500">{fact.label}</dt>
            <dd className="truncate text-right font-mono text-slate-800" title={typeof fact.value === "string" ? fact.value : undefined}>{fact.value}</dd>
          </div>
        ))}
      </dl>
      {detail && <p className="mt-3 break-words rounded bg-red-50 p-2 text-sm text-red-900">{detail}</p>}
      {actions && <div className="mt-3 flex justify-end">{actions}</div>}
    </article>
  );
}
