import type { Tone } from "../lib/tone";

const tones: Record<Tone, string> = {
  good: "bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200",
  bad: "bg-red-100 text-red-900 ring-red-600/30 dark:bg-red-950 dark:text-red-200",
  warn: "bg-amber-100 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200",
  idle: "bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-200",
};

const marks: Record<Tone, string> = { good: "●", bad: "✖", warn: "▲", idle: "○" };

/** A state with its word next to its colour, so it reads without colour too. */
export function StatusBadge({ tone, label, testId }: { tone: Tone; label: string; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ring-inset ${tones[tone]}`}>
      <span aria-hidden="true">{marks[tone]}</span>
      {label}
    </span>
  );
}
